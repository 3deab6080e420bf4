package imagine.spark;

import imagine.cli.ModelOptions;
import imagine.cli.SynthesisOptions;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** The Spark job's command line: `batch`'s options, parsed again on each executor from the same words. */
@Command(name = "imagine.spark.SparkBatch",
        description = "IMAGINE batch on Apache Spark: one task per reference.")
public final class SparkBatchOptions {

    @Option(names = "--references", required = true, paramLabel = "DIR|LIST.txt",
            description = "A folder of images (sorted by name) or a text file naming one image per line.")
    Path references;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder, on storage every executor can write (a shared file system).")
    Path out;

    @Option(names = "--parquet", description = "Also write the manifest as manifest.parquet.")
    boolean parquet;

    /** For tests: the task of the reference with this file name fails once after writing its files. */
    @Option(names = "--fail-once-after-writing", hidden = true, paramLabel = "NAME")
    String failOnce;

    @Mixin
    SynthesisOptions options = new SynthesisOptions();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Unmatched
    String[] unmatched = new String[0];

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    boolean usageHelp() {
        return help;
    }

    /** The words this was parsed from: what each executor parses again. */
    String[] args = new String[0];

    /** Options parsed from command-line words (kept, for the executors). */
    public static SparkBatchOptions parse(String... args) {
        SparkBatchOptions o = new SparkBatchOptions();
        new CommandLine(o).parseArgs(args);
        o.args = args.clone();
        return o;
    }

    /** The serializable job for the executors; validates the settings on the driver first. */
    Job job() {
        if (unmatched.length > 0) {
            throw new imagine.UserInputException("Unknown option: " + String.join(" ", unmatched));
        }
        options.config(modelOptions.model()); // fails here, before Spark starts, if a setting is wrong
        options.withTargets(imagine.controls.Controls.none());
        return new Job(args, out.toAbsolutePath().toString(), failOnce);
    }
}
