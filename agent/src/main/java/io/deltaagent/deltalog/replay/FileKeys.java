package io.deltaagent.deltalog.replay;

import java.nio.charset.StandardCharsets;
import org.apache.parquet.io.api.Binary;

/**
 * 64-bit hashes of Delta file keys (path, and deletion vector id when there is one), the same whether the path comes
 * from a checkpoint row (UTF-8 bytes) or a commit's JSON (a string). Two keys share a hash about once in 10^19 pairs.
 */
public final class FileKeys {

    private FileKeys() {
    }

    public static long of(String path, String deletionVectorId) {
        return of(path.getBytes(StandardCharsets.UTF_8), deletionVectorId);
    }

    public static long of(Binary path, String deletionVectorId) {
        return of(path.getBytesUnsafe(), deletionVectorId);
    }

    private static long of(byte[] path, String deletionVectorId) {
        long h = 0xcbf29ce484222325L ^ path.length;
        for (byte b : path) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = mix(h);
        if (deletionVectorId != null) {
            long d = 0x84222325cbf29ce4L;
            for (int i = 0; i < deletionVectorId.length(); i++) {
                d = (d ^ deletionVectorId.charAt(i)) * 0x100000001b3L;
            }
            h = mix(h ^ mix(d) * 31);
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
