package dev.driftlock.kafkaruntime;

import java.lang.reflect.InvocationTargetException;

/**
 * Starts {@code kafka.Kafka} and stops it (cleanly, through Kafka's own shutdown hook) when the
 * process that launched it is gone, so a killed test JVM or local-stack host never leaves an
 * orphaned broker behind. The launcher's pid comes from {@code -Ddriftlock.parent.pid}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        long parent = Long.getLong("driftlock.parent.pid", -1L);
        if (parent > 0) {
            Thread watchdog = new Thread(() -> {
                while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                System.err.println("launcher process " + parent + " is gone; stopping the broker");
                System.exit(0);
            }, "parent-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        try {
            Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
