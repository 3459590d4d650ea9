package dev.vectorgrad.jupyter;

import java.util.Optional;

/**
 * Ends the kernel when the process that started it is gone, so that a crashed or killed notebook
 * server or client does not leave a JVM behind. The parent is the process given in
 * {@code JPY_PARENT_PID} (set by jupyter_client) when that is still our ancestor's pid at start, and
 * otherwise the direct parent; being re-parented (to init or a subreaper) also counts as "gone".
 */
final class ParentWatchdog {

    static final long PERIOD_MS = 1_000;

    private ParentWatchdog() {
    }

    static void start(Runnable onParentGone) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        long parentPid = parent.get().pid();
        ProcessHandle watched = parent.get();
        String env = System.getenv("JPY_PARENT_PID");
        if (env != null) {
            try {
                Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(env.strip()));
                if (p.isPresent()) {
                    watched = p.get();
                }
            } catch (NumberFormatException ignored) {
                // keep the direct parent
            }
        }
        if (parentPid <= 1) {
            return; // started by init: nothing meaningful to watch
        }
        ProcessHandle target = watched;
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parentPid || !target.isAlive()) {
                    onParentGone.run();
                    return;
                }
            }
        }, "vectorgrad-parent-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
