package io.deltaagent.jobs.spark;

import java.util.List;
import java.util.Map;
import scala.collection.JavaConverters;

/** Conversions from Scala 2.12 collections (what Spark and Delta hand back) to Java ones. */
public final class Scala {
    private Scala() {
    }

    public static <T> List<T> list(scala.collection.Seq<T> seq) {
        return List.copyOf(JavaConverters.seqAsJavaListConverter(seq).asJava());
    }

    public static <K, V> Map<K, V> map(scala.collection.Map<K, V> map) {
        return Map.copyOf(JavaConverters.mapAsJavaMapConverter(map).asJava());
    }
}
