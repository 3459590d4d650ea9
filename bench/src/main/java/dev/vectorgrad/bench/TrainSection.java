package dev.vectorgrad.bench;

import dev.vectorgrad.train.Warmup;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Whole-epoch training, vectorgrad against PyTorch in the same run ({@link TrainRun}): a row per model,
 * implementation and thread count, then per model the ratio to PyTorch's best configuration for the warm
 * epoch (the median of the epochs after the first) against the target, the same ratio for the cold first
 * epoch and for the whole run (shown, not judged: they add the JVM's one-time compile cost), the accuracy
 * after {@link TrainModel#TARGET_EPOCHS} epochs against its target, and the programs' raw JSON lines.
 */
final class TrainSection implements ReportSection {

    static final String NOT_APPLICABLE = "n/a";

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        TrainResult r = ctx.train();
        if (r == null) {
            return;
        }
        ReportSection.heading(md, "Training: vectorgrad vs PyTorch");
        ReportSection.paragraph(md, intro(r.protocol()));
        if (r.unavailable() != null) {
            ReportSection.paragraph(md, "unavailable: " + r.unavailable());
        }
        List<TrainRow> rows = r.rows().stream().filter(x -> model(x) != null).sorted(ORDER).toList();
        if (!rows.isEmpty()) {
            ReportSection.table(md, table(rows, r.protocol()));
            for (TrainModel model : TrainModel.values()) {
                md.append(targets(model, rows.stream().filter(x -> model(x) == model).toList(), r.protocol()));
            }
        }
        if (!r.problems().isEmpty()) {
            md.append("Not measured:\n");
            r.problems().forEach(p -> md.append("- `").append(p.replace("`", "'")).append("`\n"));
            md.append('\n');
        }
        if (!r.lines().isEmpty()) {
            md.append("<details><summary>").append(r.lines().size()).append(" raw result line(s), as the programs ")
                    .append("printed them</summary>\n\n```\n");
            r.lines().forEach(l -> md.append(l).append('\n'));
            md.append("```\n\n</details>\n\n");
        }
    }

    private static final Comparator<TrainRow> ORDER = Comparator.comparing((TrainRow x) -> model(x).ordinal())
            .thenComparing(x -> !x.isVectorgrad()).thenComparing(TrainRow::afterIdleWarmup)
            .thenComparingInt(TrainRow::threads);

    static TrainModel model(TrainRow row) {
        for (TrainModel t : TrainModel.values()) {
            if (t.key.equals(row.model())) {
                return t;
            }
        }
        return null;
    }

    private static String intro(TrainResult.Protocol p) {
        StringBuilder sb = new StringBuilder("Fashion-MNIST (60,000 training images, standardized), batch 64, "
                + "cross-entropy, a fresh shuffle every epoch, the last batch partial. ");
        for (TrainModel t : TrainModel.values()) {
            sb.append("**").append(t.title).append("**: ").append(t.layers).append(". ");
        }
        sb.append("Every run is a process of its own: vectorgrad's `TrainBench` in a child JVM with the JMH forks' flags "
                + "(its kernels on all cores unless `-Dvectorgrad.threads` says otherwise), PyTorch through `")
                .append(TrainRun.SCRIPT).append("` with `torch.set_num_threads` as in *threads* and `OPENBLAS_CORETYPE`/"
                + "`OPENBLAS_L2_SIZE` removed from its environment and `OPENBLAS_NUM_THREADS` set as in brackets "
                + "(torch's setting does not reach the OpenBLAS its linear layers call: each thread count runs with the "
                + "same OpenBLAS count, and 1 thread also with OpenBLAS on every core, torch's default). The ratios "
                + "compare with PyTorch's fastest row. Both with `").append(String.join(" ", TrainRun.protocolArgs(p)))
                .append("`: ");
        if (p.warmup() == 0 && p.steps() == 0) {
            sb.append(p.epochs()).append(" whole epochs with no warm-up on either side. *first epoch* is the first of "
                    + "them on a fresh process, JIT compilation and every first-use cost included; *warm epoch* the "
                    + "median of the others, the epoch time the targets are about (measured warm, as every benchmark "
                    + "here); *best epoch* the fastest; *total* all of them, what a user waits for from a fresh process; "
                    + "the test accuracy (10,000 images) is measured after the last. vectorgrad runs twice: in a fresh "
                    + "JVM, and *after idle warm-up*, in a JVM that first ran the " + Warmup.DEFAULT_STEPS + " training "
                    + "steps the Jupyter kernel runs while nobody uses it (`dev.vectorgrad.train.Warmup`, on models and "
                    + "data of its own): what a notebook's first epoch is like.");
        } else {
            sb.append(p.warmup()).append(" untimed warm-up steps, then ").append(p.steps() == 0 ? "whole epochs"
                    : p.steps() + " timed steps extrapolated to an epoch").append("; *warm epoch* is their median. No "
                    + "cold first epoch is measured (" + Fmt.NONE + ") and the accuracy targets, which apply after ")
                    .append(TrainModel.TARGET_EPOCHS).append(" epochs, are not checked: the full run does both.");
        }
        sb.append(" *ms/step* is the warm epoch's; *CPU s/epoch* (process CPU time, all threads) the best epoch's; "
                + "*GC share* (time in GC pauses over the timed wall time) and *peak heap* are the JVM's.");
        return sb.toString();
    }

    private static Table table(List<TrainRow> rows, TrainResult.Protocol p) {
        Table t = Table.of("model", "impl", "threads", "first epoch s", "warm epoch s", "best epoch s", "total s",
                "ms/step", "CPU s/epoch", "test acc after " + p.trained(), "GC share", "peak heap").leftAligned(1);
        for (TrainRow x : rows) {
            boolean vg = x.isVectorgrad();
            boolean cold = x.firstEpochTimed();
            t.row(model(x).title, vg ? "vectorgrad (" + x.version() + (x.afterIdleWarmup() ? ", after idle warm-up" : "")
                            + ")" : "PyTorch " + x.version(),
                    x.threads() + (x.blasThreads() > 0 ? " (OpenBLAS " + x.blasThreads() + ")" : ""),
                    cold ? Fmt.num(x.firstEpochS()) : Fmt.NONE, Fmt.num(x.warmEpochS()), Fmt.num(x.epochS()),
                    cold ? Fmt.num(x.totalS()) : Fmt.NONE, Fmt.num(1000 * x.warmEpochS() / x.stepsPerEpoch()),
                    Fmt.num(x.cpuEpochS()), accuracyCell(x, model(x)),
                    vg ? percent(x.gcShare()) : NOT_APPLICABLE,
                    vg ? (Double.isNaN(x.peakHeapMib()) ? Fmt.NONE : Fmt.num(x.peakHeapMib()) + " MiB") : NOT_APPLICABLE);
        }
        return t;
    }

    private static String accuracyCell(TrainRow x, TrainModel model) {
        if (Double.isNaN(x.testAcc())) {
            return Fmt.NONE;
        }
        String acc = percent(x.testAcc());
        if (!x.trainedFullEpochs(TrainModel.TARGET_EPOCHS)) {
            return acc;
        }
        return acc + " (≥ " + plain(100 * model.minAccuracy) + "%: " + verdict(x.testAcc() >= model.minAccuracy) + ")";
    }

    /** The ratio and accuracy lines of one model, each with its target and whether it was met. */
    private static String targets(TrainModel model, List<TrainRow> rows, TrainResult.Protocol p) {
        if (rows.isEmpty()) {
            return "";
        }
        Optional<TrainRow> vg = best(rows, true, TrainRow::warmEpochS);
        String max = "≤ " + plain(model.maxRatio) + "×";
        StringBuilder sb = new StringBuilder("**").append(model.title).append("**\n");
        sb.append("- vectorgrad / PyTorch best (warm epoch): ");
        Optional<TrainRow> torch = best(rows, false, TrainRow::warmEpochS);
        if (vg.isEmpty() || torch.isEmpty()) {
            sb.append(Fmt.NONE + " (no ").append(vg.isEmpty() ? "vectorgrad" : "PyTorch").append(" result) — target ")
                    .append(max).append(": not measured\n");
        } else {
            double r = vg.get().warmEpochS() / torch.get().warmEpochS();
            sb.append(ratio(vg.get(), torch.get(), TrainRow::warmEpochS)).append(" — target ").append(max).append(": ")
                    .append(verdict(r <= model.maxRatio)).append(vg.get().afterIdleWarmup() ? " (vectorgrad's run after idle "
                            + "warm-up)" : "").append('\n');
        }
        List<TrainRow> cold = rows.stream().filter(TrainRow::coldFirstEpoch).toList();
        Optional<TrainRow> vgCold = best(cold, true, TrainRow::firstEpochS);
        Optional<TrainRow> torchCold = best(cold, false, TrainRow::firstEpochS);
        if (vgCold.isPresent() && torchCold.isPresent()) {
            sb.append("- first epoch of a fresh process: ").append(ratio(vgCold.get(), torchCold.get(), TrainRow::firstEpochS))
                    .append("; all ").append(p.epochs()).append(" epochs: ")
                    .append(ratio(vgCold.get(), best(cold, false, TrainRow::totalS).orElseThrow(), TrainRow::totalS))
                    .append(" (shown, not judged: the JVM compiles the kernels during the first epoch, once per process)\n");
            rows.stream().filter(x -> x.isVectorgrad() && x.afterIdleWarmup() && x.firstEpochTimed()).findFirst()
                    .ifPresent(x -> sb.append("- first epoch after the kernel's idle warm-up, as in a notebook: ")
                            .append(ratio(x, torchCold.get(), TrainRow::firstEpochS)).append("; all ").append(p.epochs())
                            .append(" epochs: ").append(ratio(x, best(cold, false, TrainRow::totalS).orElseThrow(),
                                    TrainRow::totalS)).append('\n'));
        } else if (vg.isPresent() && vg.get().warmup() > 0) {
            sb.append("- first epoch of a fresh process: ").append(Fmt.NONE).append(" (").append(vg.get().warmup())
                    .append(" warm-up steps ran first; the full run times a cold first epoch)\n");
        }
        String min = "≥ " + plain(100 * model.minAccuracy) + "%";
        sb.append("- vectorgrad test accuracy after ").append(p.trained()).append(": ");
        if (vg.isEmpty() || Double.isNaN(vg.get().testAcc())) {
            sb.append(Fmt.NONE).append(" — target ").append(min).append(": not measured\n");
        } else if (!vg.get().trainedFullEpochs(TrainModel.TARGET_EPOCHS)) {
            sb.append(percent(vg.get().testAcc())).append(" — target ").append(min).append(" after ")
                    .append(TrainModel.TARGET_EPOCHS).append(" epochs: not checked (fewer epochs trained)\n");
        } else {
            sb.append(percent(vg.get().testAcc())).append(" — target ").append(min).append(": ")
                    .append(verdict(vg.get().testAcc() >= model.minAccuracy)).append('\n');
        }
        return sb.append('\n').toString();
    }

    /** "0.425× (2.53 s vs 5.95 s, PyTorch 1 thread)". */
    private static String ratio(TrainRow vg, TrainRow torch, ToDoubleFunction<TrainRow> time) {
        double a = time.applyAsDouble(vg);
        double b = time.applyAsDouble(torch);
        int t = torch.threads();
        return Fmt.ratio(a, b) + " (" + Fmt.num(a) + " s vs " + Fmt.num(b) + " s, PyTorch " + t
                + (t == 1 ? " thread" : " threads") + ")";
    }

    /** The vectorgrad (or PyTorch) row with the smallest time. */
    private static Optional<TrainRow> best(List<TrainRow> rows, boolean vectorgrad, ToDoubleFunction<TrainRow> time) {
        return rows.stream().filter(x -> x.isVectorgrad() == vectorgrad && !Double.isNaN(time.applyAsDouble(x)))
                .min(Comparator.comparingDouble(time));
    }

    static String verdict(boolean met) {
        return met ? "met" : "not met";
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? Fmt.NONE : Fmt.num(100 * fraction) + "%";
    }

    /** 0.5 → "0.5", 1.0 → "1", 89.00000000000001 → "89". */
    private static String plain(double v) {
        return new BigDecimal(String.format(Locale.ROOT, "%.3f", v)).stripTrailingZeros().toPlainString();
    }
}
