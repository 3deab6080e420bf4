package imagine.spark;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * The CPU threads an executor gives its synthesis. An executor runs one synthesis at a time (its
 * one engine is shared by its task slots), so that synthesis gets all the executor's cores, not
 * spark.task.cpus of them: with local[2] and spark.task.cpus=1 the two tasks used to take turns on
 * one thread each (27 s per reference against 9.7 s for `batch` with 2 threads). The executor's
 * cores come from spark.executor.cores when set, else from the executor's own command line
 * (--cores N, as standalone, YARN and Kubernetes start CoarseGrainedExecutorBackend), else from a
 * local[N] master; never more than the machine's processors, never fewer than spark.task.cpus.
 */
final class ExecutorCores {

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

    private ExecutorCores() {}

    static int threads(SparkConf conf, List<String> jvmArguments, int processors) {
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        int cores = taskCpus;
        int argument = coresArgument(jvmArguments);
        if (conf.contains("spark.executor.cores")) {
            cores = conf.getInt("spark.executor.cores", taskCpus);
        } else if (argument > 0) {
            cores = argument;
        } else {
            Matcher m = LOCAL.matcher(conf.get("spark.master", "").trim());
            if (m.matches()) {
                cores = m.group(1) == null ? 1 : m.group(1).equals("*") ? processors : Integer.parseInt(m.group(1));
            }
        }
        return Math.max(taskCpus, Math.min(cores, processors));
    }

    private static int coresArgument(List<String> args) {
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--cores")) {
                try {
                    return Integer.parseInt(args.get(i + 1));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
