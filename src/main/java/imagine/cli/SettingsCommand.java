package imagine.cli;

import imagine.config.ImagineConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists every engine setting (the names --set and macros take), from the configuration's own table. */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "List every setting that --set (and a macro's settings=) accepts, with default, range and meaning.")
final class SettingsCommand implements Callable<Integer> {

    @Option(names = "--markdown", description = "As the Markdown table of docs/settings.md.")
    boolean markdown;

    @Override
    public Integer call() {
        System.out.print(markdown ? ImagineConfig.markdownTable() : ImagineConfig.help());
        return 0;
    }
}
