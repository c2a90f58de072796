package io.deltaagent.testing;

import java.net.URI;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack through Testcontainers; loaded only where a Docker engine exists. */
final class LocalStackS3 {

    static final String IMAGE = "localstack/localstack:4.14";

    private LocalStackS3() {
    }

    static S3TestServer start() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE))
                .withServices(LocalStackContainer.Service.S3);
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        container.start();
        URI endpoint = container.getEndpointOverride(LocalStackContainer.Service.S3);
        return S3TestServer.of("localstack", endpoint, container.getAccessKey(), container.getSecretKey(), false,
                container::stop);
    }
}
