package dev.driftlock.platform.testapp;

import dev.driftlock.events.Topics.TopicSpec;
import dev.driftlock.testinfra.KafkaBroker;
import dev.driftlock.testinfra.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/** Creates the module tests' own topics on the test-infra broker. */
public class PlatformTestResources implements QuarkusTestResourceLifecycleManager {

    /** The test consumer's topic: one partition, so a poison record and the next one share it. */
    public static final String ORGS = "platform-test.orgs.v1";
    public static final String DLQ = "platform-test.dlq.v1";
    /** The relay's topic: three partitions, so several orgs spread over them. */
    public static final String OUTBOX = "platform-test.outbox.v1";

    @Override
    public Map<String, String> start() {
        String servers = KafkaTestResource.bootstrapServers();
        KafkaBroker.createTopics(servers, List.of(new TopicSpec(ORGS, 1, false), new TopicSpec(DLQ, 1, false),
                new TopicSpec(OUTBOX, 3, false)));
        return Map.of("kafka.bootstrap.servers", servers);
    }

    @Override
    public void stop() {
    }
}
