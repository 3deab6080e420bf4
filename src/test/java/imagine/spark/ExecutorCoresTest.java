package imagine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Which cores an executor's one synthesis at a time gets, from what each cluster manager tells it. */
class ExecutorCoresTest {

    static SparkConf conf(String master, String taskCpus) {
        SparkConf c = new SparkConf(false).set("spark.master", master);
        return taskCpus == null ? c : c.set("spark.task.cpus", taskCpus);
    }

    @Test
    void localMastersGiveTheirThreadCount() {
        assertEquals(2, ExecutorCores.threads(conf("local[2]", null), List.of(), 8));
        assertEquals(3, ExecutorCores.threads(conf("local[3,2]", "1"), List.of(), 8));
        assertEquals(8, ExecutorCores.threads(conf("local[*]", null), List.of(), 8));
        assertEquals(1, ExecutorCores.threads(conf("local", null), List.of(), 8));
        assertEquals(4, ExecutorCores.threads(conf("local[16]", null), List.of(), 4), "never more than the processors");
    }

    @Test
    void clusterExecutorsGiveTheirCoresArgumentOrTheSetting() {
        List<String> args = List.of("-cp", "x", "org.apache.spark.executor.CoarseGrainedExecutorBackend", "--driver-url",
                "spark://d", "--executor-id", "0", "--hostname", "h", "--cores", "6", "--app-id", "a");
        assertEquals(6, ExecutorCores.threads(conf("spark://m:7077", "1"), args, 16));
        assertEquals(3, ExecutorCores.threads(conf("spark://m:7077", "1").set("spark.executor.cores", "3"), args, 16));
        assertEquals(2, ExecutorCores.threads(conf("yarn", "2"), List.of(), 16), "unknown: the task's cpus");
        assertEquals(4, ExecutorCores.threads(conf("spark://m:7077", "4"), List.of("--cores", "2"), 16),
                "never fewer than spark.task.cpus");
    }
}
