package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.MimeBundle;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishClearOutput;
import io.github.spencerpark.jupyter.messages.publish.PublishDisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishStream;
import io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries everything a cell prints or displays to Jupyter, in order, from whatever thread produced it.
 *
 * <p>{@code System.out} and {@code System.err} are replaced by streams that buffer into this pump;
 * a single pump thread publishes the text every {@value #TEXT_INTERVAL_MS} ms (so a loop's prints
 * appear while it runs, without one message per {@code println}) and publishes displays as soon as
 * they arrive, after the text printed before them. Only the pump thread (and the shell thread, after
 * {@link #drain()}) touch the sockets: a cell thread that was interrupted never does socket I/O, which
 * would close the channel under it.
 *
 * <p>Before the first cell, output goes to the kernel's own stdout/stderr (the Jupyter server's log).
 * Output from background threads after a cell ends goes to that cell, as in IPython.
 */
final class OutputPump implements CellOutput {

    static final long TEXT_INTERVAL_MS = 30;
    /** Buffered text above this many bytes is queued at once instead of waiting for the next tick. */
    private static final int MAX_BUFFER = 1 << 16;

    private sealed interface Event permits Text, Show, Update, Clear {
    }

    private record Clear(boolean waitForNext) implements Event {
    }

    private record Text(PublishStream.StreamType stream, String text) implements Event {
    }

    private record Show(DisplayData data) implements Event {
    }

    private record Update(DisplayData data) implements Event {
    }

    private final PrintStream logOut;
    private final PrintStream logErr;
    private final Object lock = new Object();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private ShellReplyEnvironment env;
    private long enqueued;
    private long published;
    private final Thread thread;

    OutputPump(PrintStream logOut, PrintStream logErr) {
        this.logOut = logOut;
        this.logErr = logErr;
        this.thread = new Thread(this::loop, "vectorgrad-output");
        thread.setDaemon(true);
        thread.start();
    }

    PrintStream stdoutStream() {
        return new PrintStream(new Sink(false), true, StandardCharsets.UTF_8);
    }

    PrintStream stderrStream() {
        return new PrintStream(new Sink(true), true, StandardCharsets.UTF_8);
    }

    /** Sends what follows to the cell replying through {@code env}. */
    void attach(ShellReplyEnvironment env) {
        synchronized (lock) {
            this.env = env;
        }
    }

    /** Waits until everything written so far has been published (at most a few seconds). */
    void drain() {
        synchronized (lock) {
            moveText();
            long target = enqueued;
            lock.notifyAll();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (published < target && System.nanoTime() < deadline) {
                try {
                    lock.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ CellOutput

    @Override
    public void stdout(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(false, b, 0, b.length);
    }

    @Override
    public void stderr(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(true, b, 0, b.length);
    }

    @Override
    public void display(MimeBundle bundle, String displayId) {
        enqueue(new Show(toDisplayData(bundle, displayId)));
    }

    @Override
    public void updateDisplay(MimeBundle bundle, String displayId) {
        enqueue(new Update(toDisplayData(bundle, displayId)));
    }

    @Override
    public void clearOutput(boolean waitForNext) {
        enqueue(new Clear(waitForNext));
    }

    static DisplayData toDisplayData(MimeBundle bundle, String displayId) {
        DisplayData d = new DisplayData();
        bundle.data().forEach(d::putData);
        bundle.metadata().forEach(d::putMetaData);
        if (displayId != null) {
            d.setDisplayId(displayId);
        }
        return d;
    }

    private void enqueue(Event e) {
        synchronized (lock) {
            if (env == null) {
                return; // no cell yet: nothing to show it in
            }
            moveText();
            queue.add(e);
            enqueued++;
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------ streams

    private void write(boolean err, byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        synchronized (lock) {
            if (env == null) {
                PrintStream log = err ? logErr : logOut;
                log.write(b, off, len);
                log.flush();
                return;
            }
            ByteArrayOutputStream buf = err ? errBytes : outBytes;
            buf.write(b, off, len);
            if (buf.size() > MAX_BUFFER) {
                moveText();
                lock.notifyAll();
            }
        }
    }

    /** Moves complete UTF-8 text from the stream buffers into the queue. Holds {@code lock}. */
    private void moveText() {
        moveText(outBytes, PublishStream.StreamType.OUT);
        moveText(errBytes, PublishStream.StreamType.ERR);
    }

    private void moveText(ByteArrayOutputStream buf, PublishStream.StreamType type) {
        if (buf.size() == 0) {
            return;
        }
        byte[] b = buf.toByteArray();
        int n = completeUtf8Prefix(b, b.length);
        if (n == 0) {
            return;
        }
        queue.add(new Text(type, new String(b, 0, n, StandardCharsets.UTF_8)));
        enqueued++;
        buf.reset();
        buf.write(b, n, b.length - n);
    }

    /** Length of the longest prefix of {@code b[0, n)} that does not end inside a UTF-8 sequence. */
    static int completeUtf8Prefix(byte[] b, int n) {
        int i = n - 1;
        int back = 0;
        while (i >= 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i < 0) {
            return n;
        }
        int lead = b[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return n - i >= need ? n : i;
    }

    private void loop() {
        while (true) {
            List<Event> batch;
            ShellReplyEnvironment target;
            synchronized (lock) {
                if (queue.isEmpty()) {
                    try {
                        lock.wait(TEXT_INTERVAL_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                moveText();
                if (queue.isEmpty()) {
                    continue;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
                target = env;
            }
            for (Event e : batch) {
                try {
                    if (target != null) {
                        switch (e) {
                            case Text t -> target.publish(new PublishStream(t.stream(), t.text()));
                            case Show s -> target.publish(new PublishDisplayData(s.data()));
                            case Update u -> target.publish(new PublishUpdateDisplayData(u.data()));
                            case Clear c -> target.publish(c.waitForNext() ? PublishClearOutput.BEFORE_NEXT_OUTPUT
                                    : PublishClearOutput.NOW);
                        }
                    }
                } catch (RuntimeException ex) {
                    logErr.println("vectorgrad kernel: could not publish output: " + ex);
                }
            }
            synchronized (lock) {
                published += batch.size();
                lock.notifyAll();
            }
        }
    }

    private final class Sink extends OutputStream {
        private final boolean err;

        Sink(boolean err) {
            this.err = err;
        }

        @Override
        public void write(int b) {
            OutputPump.this.write(err, new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            OutputPump.this.write(err, b, off, len);
        }
    }
}
