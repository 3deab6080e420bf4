package imagine.cli;

import imagine.model.Diagnostics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints engine, versions, devices, native paths and model store state; exits 1 on a problem: a
 * damaged installed model, a models folder that is missing or a file, or no model installed.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Print a diagnostics report.")
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Models folder to inspect.")
    Path modelsDir;

    @Mixin
    Main.Common common = new Main.Common();

    /** Exit code when a model is damaged: the report says what; scripts and support see it at once. */
    static final int EXIT_PROBLEMS = 1;

    @Override
    public Integer call() {
        System.out.print(Diagnostics.report(modelsDir));
        List<String> problems = Diagnostics.problems(modelsDir);
        if (problems.isEmpty()) {
            return 0;
        }
        System.out.println("PROBLEMS (" + problems.size() + "):");
        problems.forEach(p -> System.out.println("  " + p));
        return EXIT_PROBLEMS;
    }
}
