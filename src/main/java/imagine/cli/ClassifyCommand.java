package imagine.cli;

import imagine.UserInputException;
import imagine.batch.Images;
import imagine.core.Prediction;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the top classes of an image: index, probability, label, tab-separated. */
@Command(name = "classify", mixinStandardHelpOptions = true, description = "Print the top-5 classes of an image.")
final class ClassifyCommand implements Callable<Integer> {

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The image to classify.")
    Path image;

    @Option(names = "--top", paramLabel = "K", description = "How many classes (default: ${DEFAULT-VALUE}).")
    int top = 5;

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Override
    public Integer call() {
        if (top < 1 || top > 1000) {
            throw new UserInputException("--top must be between 1 and 1000, got " + top + ".");
        }
        RgbImage img = Images.read(image);
        try (Backbone b = modelOptions.load()) {
            for (Prediction p : modelOptions.engine(b).classify(img, top)) {
                System.out.println(p.index() + "\t" + String.format(Locale.ROOT, "%.6f", p.probability()) + "\t" + p.label());
            }
        }
        return 0;
    }
}
