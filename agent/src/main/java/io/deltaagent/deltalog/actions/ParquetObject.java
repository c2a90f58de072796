package io.deltaagent.deltalog.actions;

import java.io.IOException;
import org.apache.parquet.io.InputFile;

/**
 * Where a Parquet log object is read from, asked for inside the reader: a failure to reach it (a missing part) is
 * reported as the reader reports its own failures, naming the object. A ranged input from the store, or the bytes of a
 * small object fetched whole once for both of the audit's passes.
 */
@FunctionalInterface
public interface ParquetObject {

    InputFile input() throws IOException;
}
