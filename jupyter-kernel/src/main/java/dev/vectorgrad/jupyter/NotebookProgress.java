package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.EngineRenderers;
import dev.vectorgrad.jupyter.display.MimeBundle;
import dev.vectorgrad.train.EpochSummary;
import dev.vectorgrad.train.History;
import dev.vectorgrad.train.Progress;
import dev.vectorgrad.train.ProgressListener;
import dev.vectorgrad.train.TrainingInterruptedException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's training progress display, installed as {@code Trainer}'s default: one output that is
 * updated in place (display, then update_display_data) instead of a line per batch. It shows a bar for
 * the running epoch (epoch i/n, batch, loss, accuracy, samples/s, ETA) above a table of the finished
 * epochs, and at the end how training ended (done, stopped early, interrupted, failed).
 *
 * <p>Batches and epoch ends redraw it at most {@link #MAX_UPDATES_PER_SECOND} times a second; the start
 * and the end of training always do. A failure to draw never disturbs training.
 */
final class NotebookProgress implements ProgressListener {

    static final int MAX_UPDATES_PER_SECOND = 5;
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L / MAX_UPDATES_PER_SECOND;
    static final int BAR_CELLS = 30;
    /** Longer epoch tables show their first {@link #HEAD_ROWS} and last {@link #TAIL_ROWS} rows. */
    static final int MAX_ROWS = 12;
    static final int HEAD_ROWS = 3;
    static final int TAIL_ROWS = 8;

    private final Session session;
    private final long minIntervalNanos;
    private final List<EpochSummary> finished = new ArrayList<>();
    private String displayId;
    private long lastDraw;
    private int updates;
    private int epochs;
    private int epoch;
    private int batchesPerEpoch;
    private Progress last;
    private String ending;
    private boolean failed;
    private final long startNanos = System.nanoTime();

    NotebookProgress(Session session) {
        this(session, MIN_INTERVAL_NANOS);
    }

    NotebookProgress(Session session, long minIntervalNanos) {
        this.session = session;
        this.minIntervalNanos = minIntervalNanos;
    }

    /** The display for the session cells run in, or null outside one (then the trainer prints to the console). */
    static NotebookProgress forActiveSession() {
        Session s = Session.active();
        return s == null ? null : new NotebookProgress(s);
    }

    /** How many times the display was drawn (first display included). */
    int draws() {
        return updates;
    }

    String displayId() {
        return displayId;
    }

    // ------------------------------------------------------------------ listener

    @Override
    public void onTrainBegin(int epochs, int batchesPerEpoch, long samplesPerEpoch) {
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        draw(true);
    }

    @Override
    public void onEpochBegin(int epoch, int epochs) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.last = null;
    }

    @Override
    public void onBatch(Progress p) {
        last = p;
        if (System.nanoTime() - lastDraw >= minIntervalNanos) {
            draw(false);
        }
    }

    @Override
    public void onEpochEnd(EpochSummary s) {
        finished.add(s);
        last = null;
        draw(false); // short epochs end many times a second; the end of training always draws
    }

    @Override
    public void onTrainEnd(History history, Throwable failure) {
        double total = (System.nanoTime() - startNanos) / 1e9;
        if (failure instanceof TrainingInterruptedException) {
            ending = "Interrupted in epoch " + (epoch + 1) + "/" + epochs
                    + (last != null ? " after " + (last.batch() + 1) + " of " + last.batches() + " batches" : "")
                    + "; the model keeps the weights of the last completed step.";
            failed = true;
        } else if (failure != null) {
            ending = "Stopped by " + failure.getClass().getSimpleName()
                    + (failure.getMessage() != null ? ": " + firstLine(failure.getMessage()) : "");
            failed = true;
        } else if (history != null && history.stoppedEarly()) {
            ending = "Stopped early after " + finished.size() + " of " + epochs + " epochs: " + history.stopReason();
        } else {
            ending = "Done: " + finished.size() + " epoch" + (finished.size() == 1 ? "" : "s") + " in "
                    + EngineRenderers.seconds(total);
        }
        draw(true);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ------------------------------------------------------------------ drawing

    private void draw(boolean always) {
        if (!always && System.nanoTime() - lastDraw < minIntervalNanos) {
            return;
        }
        try {
            MimeBundle b = new MimeBundle().text(text()).html(html());
            if (displayId == null) {
                displayId = session.show(b);
            } else {
                session.update(displayId, b);
            }
            updates++;
        } catch (RuntimeException e) {
            // drawing is a courtesy: training goes on regardless
        }
        lastDraw = System.nanoTime();
    }

    /** The running epoch's line: what is known after the last batch, or the epoch's start. */
    private String barLine(boolean html) {
        int done;
        int total;
        StringBuilder tail = new StringBuilder();
        if (last != null) {
            done = last.batch() + 1;
            total = last.batches();
            tail.append(" · ETA ").append(EngineRenderers.seconds(last.etaSeconds()));
            tail.append(" · loss ").append(EngineRenderers.metric(last.loss()));
            if (last.hasAccuracy()) {
                tail.append(" · accuracy ").append(EngineRenderers.metric(last.accuracy()));
            }
            tail.append(" · ").append(EngineRenderers.rate(last.samplesPerSecond())).append(" samples/s");
        } else if (!finished.isEmpty() && finished.size() == epoch + 1) {
            EpochSummary s = finished.get(finished.size() - 1);
            done = s.batches();
            total = batchesPerEpoch;
            tail.append(" · ").append(EngineRenderers.seconds(s.seconds()));
            Double loss = s.logs().get("loss");
            if (loss != null) {
                tail.append(" · loss ").append(EngineRenderers.metric(loss));
            }
            Double acc = s.logs().get("accuracy");
            if (acc != null) {
                tail.append(" · accuracy ").append(EngineRenderers.metric(acc));
            }
            tail.append(" · ").append(EngineRenderers.rate(s.samplesPerSecond())).append(" samples/s");
        } else {
            done = 0;
            total = batchesPerEpoch;
        }
        double fraction = total <= 0 ? 0 : Math.min(1, done / (double) total);
        String head = "Epoch " + (epoch + 1) + "/" + Math.max(epochs, 1);
        String counter = done + "/" + total;
        if (!html) {
            int filled = (int) Math.round(fraction * BAR_CELLS);
            return head + " [" + "=".repeat(filled) + ".".repeat(BAR_CELLS - filled) + "] " + counter + tail;
        }
        String color = failed ? "#d9534f" : "#4c8bf5";
        return "<span style=\"font-weight:bold\">" + head + "</span> "
                + "<span style=\"display:inline-block;width:220px;height:11px;background:#e4e4e4;border-radius:3px;"
                + "vertical-align:middle;overflow:hidden\"><span style=\"display:block;height:100%;width:"
                + String.format(Locale.ROOT, "%.1f", 100 * fraction) + "%;background:" + color + "\"></span></span> "
                + counter + esc(tail.toString());
    }

    /** Metric columns of the finished-epoch table, in the usual order. */
    private List<String> columns() {
        Set<String> cols = new LinkedHashSet<>();
        for (String k : new String[] {"loss", "accuracy", "val_loss", "val_accuracy"}) {
            for (EpochSummary s : finished) {
                if (s.logs().containsKey(k)) {
                    cols.add(k);
                }
            }
        }
        for (EpochSummary s : finished) {
            cols.addAll(s.logs().keySet());
        }
        return new ArrayList<>(cols);
    }

    /** The finished epochs the table shows; null stands for the rows left out. */
    private List<EpochSummary> shownRows() {
        if (finished.size() <= MAX_ROWS) {
            return finished;
        }
        List<EpochSummary> rows = new ArrayList<>(finished.subList(0, HEAD_ROWS));
        rows.add(null);
        rows.addAll(finished.subList(finished.size() - TAIL_ROWS, finished.size()));
        return rows;
    }

    private static String value(Map<String, Double> logs, String key) {
        Double v = logs.get(key);
        return v == null ? "" : EngineRenderers.metric(v);
    }

    String text() {
        StringBuilder sb = new StringBuilder(barLine(false));
        if (!finished.isEmpty()) {
            List<String> cols = columns();
            List<String> head = new ArrayList<>();
            head.add("epoch");
            head.addAll(cols);
            head.add("time");
            head.add("samples/s");
            List<List<String>> rows = new ArrayList<>();
            for (EpochSummary s : shownRows()) {
                List<String> r = new ArrayList<>();
                if (s == null) {
                    for (int k = 0; k < head.size(); k++) {
                        r.add(k == 0 ? "..." : "");
                    }
                    rows.add(r);
                    continue;
                }
                r.add(String.valueOf(s.epoch() + 1));
                for (String c : cols) {
                    r.add(value(s.logs(), c));
                }
                r.add(EngineRenderers.seconds(s.seconds()));
                r.add(EngineRenderers.rate(s.samplesPerSecond()));
                rows.add(r);
            }
            int[] w = new int[head.size()];
            for (int c = 0; c < w.length; c++) {
                w[c] = head.get(c).length();
                for (List<String> r : rows) {
                    w[c] = Math.max(w[c], r.get(c).length());
                }
            }
            sb.append('\n');
            row(sb, head, w);
            for (List<String> r : rows) {
                sb.append('\n');
                row(sb, r, w);
            }
        }
        if (ending != null) {
            sb.append('\n').append(ending);
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<String> cells, int[] w) {
        for (int c = 0; c < cells.size(); c++) {
            sb.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%" + w[c] + "s", cells.get(c)));
        }
    }

    String html() {
        StringBuilder sb = new StringBuilder("<div class=\"vg-progress\" style=\"font-family:monospace;font-size:12px\">");
        sb.append("<div>").append(barLine(true)).append("</div>");
        if (!finished.isEmpty()) {
            List<String> cols = columns();
            String th = "text-align:right;padding:1px 8px;border-bottom:1px solid #999;font-weight:bold";
            String td = "text-align:right;padding:1px 8px;border:none";
            sb.append("<table style=\"border-collapse:collapse;margin:4px 0;font-size:12px\"><thead><tr>");
            List<String> head = new ArrayList<>();
            head.add("epoch");
            head.addAll(cols);
            head.add("time");
            head.add("samples/s");
            for (String h : head) {
                sb.append("<th style=\"").append(th).append("\">").append(esc(h)).append("</th>");
            }
            sb.append("</tr></thead><tbody>");
            for (EpochSummary s : shownRows()) {
                if (s == null) {
                    sb.append("<tr><td style=\"").append(td).append("\">&#8230;</td><td colspan=\"").append(head.size() - 1)
                            .append("\"></td></tr>");
                    continue;
                }
                sb.append("<tr><td style=\"").append(td).append("\">").append(s.epoch() + 1).append("</td>");
                for (String c : cols) {
                    sb.append("<td style=\"").append(td).append("\">").append(value(s.logs(), c)).append("</td>");
                }
                sb.append("<td style=\"").append(td).append("\">").append(EngineRenderers.seconds(s.seconds())).append("</td>");
                sb.append("<td style=\"").append(td).append("\">").append(EngineRenderers.rate(s.samplesPerSecond()))
                        .append("</td></tr>");
            }
            sb.append("</tbody></table>");
        }
        if (ending != null) {
            sb.append("<div style=\"").append(failed ? "color:#b00" : "color:#333").append("\">").append(esc(ending))
                    .append("</div>");
        }
        return sb.append("</div>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
