package io.deltaagent.submit.emr;

import java.net.URI;

/** A bucket and key from an {@code s3://} or {@code s3a://} URI. */
record S3Location(String bucket, String key) {

    static boolean isS3(String uri) {
        try {
            URI u = URI.create(uri);
            return ("s3".equals(u.getScheme()) || "s3a".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static S3Location parse(String uri) {
        URI u = URI.create(uri);
        String path = u.getPath() == null ? "" : u.getPath();
        return new S3Location(u.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
