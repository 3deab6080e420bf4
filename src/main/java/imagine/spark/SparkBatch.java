package imagine.spark;

import imagine.batch.BatchLock;
import imagine.batch.Manifest;
import imagine.batch.References;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;

/**
 * The data-set mode on Apache Spark, as BigStitcher-Spark and n5-spark run Fiji code on clusters:
 * {@code spark-submit --class imagine.spark.SparkBatch --master local[*]|spark://...|yarn|k8s://...
 * --jars <target/lib jars> target/imagine.jar --references DIR|LIST --out DIR [synthesize options]}.
 * One task per reference (references already done in the manifest are skipped); each executor
 * JVM loads the model once and runs one synthesis at a time with spark.task.cpus CPU threads;
 * files are written as `batch` writes them (temporary names, atomic renames, a finished run
 * found again instead of written twice), so task retries and speculative copies leave no
 * duplicates. The driver writes manifest.csv (and manifest.parquet with --parquet) from the
 * tasks' rows. Spark itself is a provided dependency: the cluster brings it.
 */
public final class SparkBatch {

    private SparkBatch() {}

    public static void main(String[] args) {
        SparkBatchOptions o;
        try {
            o = SparkBatchOptions.parse(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("imagine spark: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (o.usageHelp()) {
            new CommandLine(new SparkBatchOptions()).usage(System.out);
            return;
        }
        try {
            run(o, null);
        } catch (imagine.UserInputException e) {
            System.err.println("imagine spark: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the job; {@code master} overrides spark-submit's (tests), null keeps it. Returns the rows of this run. */
    public static List<Manifest.Row> run(SparkBatchOptions o, String master) {
        Job job = o.job(); // validates the settings before Spark starts
        if (Files.exists(o.out) && !Files.isDirectory(o.out)) {
            throw new imagine.UserInputException("--out " + o.out + " is a file; give a folder.");
        }
        List<Path> refs = References.of(o.references);
        SparkConf conf = new SparkConf().setAppName("IMAGINE batch");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        try (BatchLock lock = BatchLock.acquire(o.out)) {
            SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
            try {
                return run(o, job, refs, spark);
            } finally {
                spark.stop();
            }
        }
    }

    private static List<Manifest.Row> run(SparkBatchOptions o, Job job, List<Path> refs, SparkSession spark) {
        {
            Manifest manifest = Manifest.load(o.out);
            List<String> pending = new ArrayList<>();
            for (Path r : refs) {
                if (!manifest.done(r.toString())) {
                    pending.add(r.toString());
                }
            }
            System.err.printf(Locale.ROOT, "spark batch: %d reference(s), %d already done, %d to do%n", refs.size(),
                    refs.size() - pending.size(), pending.size());
            if (pending.isEmpty()) {
                return List.of();
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaRDD<String> rdd = jsc.parallelize(pending, pending.size()); // one task per reference
            List<Manifest.Row> rows = rdd.map(job::run).collect();
            manifest.putAll(rows);
            if (o.parquet) {
                writeParquet(spark, manifest.ordered(refs.stream().map(Path::toString).toList()), o.out);
            }
            long ok = manifest.rows().values().stream().filter(r -> r.status() == Manifest.Status.OK).count();
            System.out.printf(Locale.ROOT, "%d of %d references done; manifest: %s%n", ok, refs.size(),
                    o.out.resolve(Manifest.FILE).toAbsolutePath());
            return rows;
        }
    }

    static void writeParquet(SparkSession spark, List<Manifest.Row> rows, Path out) {
        StructType schema = new StructType().add("reference", DataTypes.StringType).add("status", DataTypes.StringType)
                .add("files", DataTypes.StringType).add("seeds", DataTypes.StringType)
                .add("target_class", DataTypes.IntegerType).add("p_target", DataTypes.DoubleType)
                .add("seconds", DataTypes.DoubleType).add("error", DataTypes.StringType);
        List<Row> data = rows.stream().map(r -> RowFactory.create(r.reference(), r.status().key(), r.files(), r.seeds(),
                r.targetClass(), r.pTarget(), r.seconds(), r.error())).toList();
        Dataset<Row> df = spark.createDataFrame(data, schema);
        df.coalesce(1).write().mode(SaveMode.Overwrite).parquet(out.resolve("manifest.parquet").toString());
    }
}
