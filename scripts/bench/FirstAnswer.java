import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.dlb.core.engine.NoTls;

/**
 * The least any Maven goal on docker-java pays in a fresh JVM before the engine's first answer: from main() to a
 * listing of the engine's containers, over docker-java's defaults but for the JDK's TLS context (a socket needs none;
 * the plugin gives it none either), with nothing else loaded. The benchmark runs it on the plugin's jar, so that the
 * start and stop goals' own times can be read against it (issue 8).
 * Prints the milliseconds.
 */
public final class FirstAnswer {

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(args[0])
                .withCustomSslConfig(NoTls::context).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).build();
        try (DockerClient client = DockerClientImpl.getInstance(config, http)) {
            client.listContainersCmd().withShowAll(true).exec();
            System.out.println((System.nanoTime() - begin) / 1_000_000);
        }
        System.exit(0);
    }

    private FirstAnswer() {
    }
}
