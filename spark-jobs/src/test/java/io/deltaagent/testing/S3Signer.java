package io.deltaagent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Creates a bucket with one AWS Signature V4 signed PUT, so the S3 test server needs no SDK on the test
 * classpath (the two modules carry different AWS SDK major versions).
 */
final class S3Signer {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private S3Signer() {
    }

    static void putBucket(URI endpoint, String bucket, String accessKey, String secretKey, String region) {
        try {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            String amzDate = now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
            String date = amzDate.substring(0, 8);
            String host = endpoint.getHost() + ":" + endpoint.getPort();
            String canonical = "PUT\n/" + bucket + "\n\nhost:" + host + "\nx-amz-content-sha256:" + EMPTY_SHA256
                    + "\nx-amz-date:" + amzDate + "\n\nhost;x-amz-content-sha256;x-amz-date\n" + EMPTY_SHA256;
            String scope = date + "/" + region + "/s3/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical));
            byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
            key = hmac(key, region);
            key = hmac(key, "s3");
            key = hmac(key, "aws4_request");
            String signature = hex(hmac(key, toSign));

            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/" + bucket).toURL().openConnection();
            c.setRequestMethod("PUT");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(0);
            c.setRequestProperty("x-amz-date", amzDate);
            c.setRequestProperty("x-amz-content-sha256", EMPTY_SHA256);
            c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                    + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + signature);
            c.getOutputStream().close();
            int code = c.getResponseCode();
            if (code != 200 && code != 409) {
                String body;
                try (InputStream err = c.getErrorStream()) {
                    body = err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8);
                }
                throw new IllegalStateException("creating bucket " + bucket + " on " + endpoint + " answered " + code + ": " + body);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create bucket " + bucket + " on " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(String s) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
