package imagine.cli;

import imagine.model.Diagnostics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints engine, versions, devices, native paths and model store state. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Print a diagnostics report.")
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Models folder to inspect.")
    Path modelsDir;

    @Mixin
    Main.Common common = new Main.Common();

    @Override
    public Integer call() {
        System.out.print(Diagnostics.report(modelsDir));
        return 0;
    }
}
