package dev.vectorgrad.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * The default progress display, on a text stream.
 *
 * <p>On a console (an interactive terminal: {@code System.console()} exists and {@code isTerminal()}),
 * one line per epoch is redrawn in place with {@code \r} while the epoch runs, at most ten times a
 * second:
 * <pre>
 * Epoch 2/10 [=========&gt;....................] 312/938 - ETA 7.1s - loss: 0.4123 - accuracy: 0.8512 - 5,123 samples/s
 * </pre>
 * and completed when it ends:
 * <pre>
 * Epoch 2/10 [==============================] 938/938 - 12.3s - loss: 0.4101 - accuracy: 0.8530 - val_loss: 0.4000 - val_accuracy: 0.8600 - 5,123 samples/s
 * </pre>
 * Otherwise (output redirected to a file or a CI log) only the completed line is printed, one per
 * epoch, without the bar:
 * <pre>
 * Epoch 2/10 - 12.3s - loss: 0.4101 - accuracy: 0.8530 - val_loss: 0.4000 - val_accuracy: 0.8600 - 5,123 samples/s
 * </pre>
 * When training stops early the reason follows on its own line.
 */
public final class ConsoleProgress implements ProgressListener {

    static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean inPlace;
    private final long redrawNanos;
    private long lastDraw;
    private int lastLength;
    private boolean lineOpen;

    /** On {@code System.out}, in place when it is an interactive terminal. */
    public ConsoleProgress() {
        this(System.out, isTerminal());
    }

    /** Whether standard input and output are an interactive terminal (not a file, pipe or notebook). */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** On {@code out}: a bar redrawn in place ({@code inPlace}) or one line per epoch. */
    public ConsoleProgress(PrintStream out, boolean inPlace) {
        this(out, inPlace, REDRAW_NANOS);
    }

    ConsoleProgress(PrintStream out, boolean inPlace, long redrawNanos) {
        this.out = Objects.requireNonNull(out, "ConsoleProgress: out is null");
        this.inPlace = inPlace;
        this.redrawNanos = redrawNanos;
    }

    /** Whether the bar is redrawn in place. */
    public boolean inPlace() {
        return inPlace;
    }

    @Override
    public void onEpochBegin(int epoch, int epochs) {
        lastDraw = 0;
        lastLength = 0;
        if (inPlace) {
            draw(prefix(epoch, epochs) + " " + bar(0, 1));
        }
    }

    @Override
    public void onBatch(Progress p) {
        if (!inPlace) {
            return;
        }
        long now = System.nanoTime();
        boolean last = p.batch() + 1 >= p.batches();
        if (last || now - lastDraw >= redrawNanos) {
            lastDraw = now;
            draw(batchLine(p));
        }
    }

    @Override
    public void onEpochEnd(EpochSummary s) {
        String line = epochLine(s, inPlace);
        if (inPlace) {
            draw(line);
            out.print('\n');
            lineOpen = false;
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void onTrainEnd(History history, Throwable failure) {
        if (lineOpen) {
            out.print('\n'); // leave the half-drawn bar, so what follows starts on a line of its own
            lineOpen = false;
        }
        if (failure == null && history.stoppedEarly()) {
            out.println("Stopped early: " + history.stopReason());
        }
        out.flush();
    }

    /** The line drawn while an epoch runs. */
    static String batchLine(Progress p) {
        StringBuilder sb = new StringBuilder(prefix(p.epoch(), p.epochs())).append(' ')
                .append(bar(p.batch() + 1, p.batches()))
                .append(' ').append(counter(p.batch() + 1, p.batches()));
        sb.append(" - ETA ").append(Format.seconds(p.etaSeconds()));
        sb.append(" - loss: ").append(Format.metric(p.loss()));
        if (p.hasAccuracy()) {
            sb.append(" - accuracy: ").append(Format.metric(p.accuracy()));
        }
        return sb.append(" - ").append(Format.rate(p.samplesPerSecond())).append(" samples/s").toString();
    }

    /** The line printed when an epoch ends, with the bar ({@code withBar}) or without. */
    static String epochLine(EpochSummary s, boolean withBar) {
        StringBuilder sb = new StringBuilder(prefix(s.epoch(), s.epochs()));
        if (withBar) {
            sb.append(' ').append(bar(1, 1)).append(' ').append(counter(s.batches(), s.batches()));
        }
        sb.append(" - ").append(Format.seconds(s.seconds()));
        Map<String, Double> logs = s.logs();
        for (String key : new String[] {"loss", "accuracy", "val_loss", "val_accuracy"}) {
            if (logs.containsKey(key)) {
                sb.append(" - ").append(key).append(": ").append(Format.metric(logs.get(key)));
            }
        }
        for (Map.Entry<String, Double> e : new TreeMap<>(logs).entrySet()) {
            String key = e.getKey();
            if (!key.equals("loss") && !key.equals("accuracy") && !key.equals("val_loss") && !key.equals("val_accuracy")) {
                sb.append(" - ").append(key).append(": ")
                        .append(key.equals("lr") ? Format.lr(e.getValue()) : Format.metric(e.getValue()));
            }
        }
        return sb.append(" - ").append(Format.rate(s.samplesPerSecond())).append(" samples/s").toString();
    }

    private static String prefix(int epoch, int epochs) {
        return "Epoch " + (epoch + 1) + "/" + epochs;
    }

    private static String counter(int done, int total) {
        String t = String.valueOf(total);
        return String.format(Locale.ROOT, "%" + t.length() + "d/%s", done, t);
    }

    /** {@code [=========>....................]}: {@code done} of {@code total} in {@link #BAR_WIDTH} cells. */
    static String bar(int done, int total) {
        int filled = total <= 0 ? BAR_WIDTH : (int) ((long) done * BAR_WIDTH / total);
        StringBuilder sb = new StringBuilder(BAR_WIDTH + 2).append('[');
        for (int i = 0; i < BAR_WIDTH; i++) {
            sb.append(i < filled - 1 || (i == filled - 1 && filled == BAR_WIDTH) ? '=' : i == filled - 1 ? '>' : '.');
        }
        return sb.append(']').toString();
    }

    private void draw(String line) {
        StringBuilder sb = new StringBuilder(line.length() + 8).append('\r').append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' '); // clear what a longer previous line left behind
        }
        lastLength = line.length();
        out.print(sb);
        out.flush();
        lineOpen = true;
    }
}
