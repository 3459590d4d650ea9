package dev.vectorgrad.jupyter;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.jupyter.display.MimeBundle;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.ReplyType;
import io.github.spencerpark.jupyter.messages.publish.PublishError;
import io.github.spencerpark.jupyter.messages.publish.PublishExecuteInput;
import io.github.spencerpark.jupyter.messages.publish.PublishExecuteResult;
import io.github.spencerpark.jupyter.messages.reply.ErrorReply;
import io.github.spencerpark.jupyter.messages.reply.ExecuteReply;
import io.github.spencerpark.jupyter.messages.reply.HistoryReply;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import io.github.spencerpark.jupyter.messages.request.HistoryRequest;
import io.github.spencerpark.jupyter.messages.request.KernelInfoRequest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Jupyter side of the kernel: the wire protocol comes from the JVM base kernel; requests are
 * answered from a {@link Session}. Execution and kernel_info have handlers of their own (ordered
 * output through the {@link OutputPump}, errors named after the user's exception, a kernel_info
 * reply with its {@code status}).
 */
final class VectorgradKernel extends BaseKernel {

    static final String VERSION = versionOf();

    private final CompletableFuture<Session> session;
    private final OutputPump pump;
    private final LanguageInfo languageInfo;
    private final History history = new History();
    /** Set by the first request that needs the session; the start-up warm-up stops then. */
    private volatile boolean asked;
    /** Cells being executed, and when a request last began or a cell last ended: for the idle warm-up. */
    private final AtomicInteger executing = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime();

    VectorgradKernel(CompletableFuture<Session> session, OutputPump pump) {
        this.session = session;
        this.pump = pump;
        setShouldReplaceStdStreams(false); // the pump owns System.out/err for the kernel's lifetime
        this.languageInfo = new LanguageInfo("java", Integer.toString(Runtime.version().feature()), "text/x-java-source",
                ".jshell", "java", "text/x-java", "script");
    }

    /** The session, once started (requests that come earlier wait for it). */
    private Session session() {
        asked = true;
        lastUsedNanos = System.nanoTime();
        return session.join();
    }

    /** True while no request has needed the session yet. */
    boolean idle() {
        return !asked;
    }

    /** True when no cell is executing and no request has begun or ended for {@code millis}. */
    boolean quietFor(long millis) {
        return executing.get() == 0 && System.nanoTime() - lastUsedNanos >= millis * 1_000_000L;
    }

    private static String versionOf() {
        String v = VectorgradKernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.EXECUTE_REQUEST, this::execute);
        connection.setHandler(MessageType.KERNEL_INFO_REQUEST, this::kernelInfo);
        connection.setHandler(MessageType.HISTORY_REQUEST, this::history);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " - vectorgrad kernel " + VERSION + " - backend "
                + Backends.current().name() + "\nEngine packages are imported; %lsmagic lists the magics.";
    }

    @Override
    public List<LanguageInfo.Help> getHelpLinks() {
        return List.of();
    }

    // ------------------------------------------------------------------ execute

    private void execute(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        int count = silent || !request.shouldStoreHistory() ? executionCount.get() : executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        pump.attach(env);
        boolean record = !silent && request.shouldStoreHistory();
        executing.incrementAndGet();
        try {
            Optional<String> page = session().help(request.getCode());
            if (page.isPresent()) {
                // IPython's "name?": the documentation goes to the pager, as a payload of the reply
                if (record) {
                    history.add(count, request.getCode(), null);
                }
                env.reply(new PagedReply(count, page.get()));
                return;
            }
            Optional<MimeBundle> value = session().eval(request.getCode(), count, pump);
            pump.drain();
            if (value.isPresent() && !silent) {
                env.publish(new PublishExecuteResult(count, OutputPump.toDisplayData(value.get(), null)));
            }
            if (record) {
                history.add(count, request.getCode(), value.map(v -> String.valueOf(v.get(MimeBundle.TEXT))).orElse(null));
            }
            env.reply(new ExecuteReply(count, Map.of()));
        } catch (CellException e) {
            if (record) {
                history.add(count, request.getCode(), null);
            }
            pump.drain();
            env.publish(new PublishError(e.name(), e.value(), e.traceback()));
            ErrorReply reply = new ErrorReply(e.name(), e.value(), e.traceback());
            reply.setExecutionCount(count);
            env.replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        } catch (RuntimeException | Error e) {
            // a failure of the kernel itself, not of the cell: report it and keep serving
            pump.drain();
            List<String> trace = List.of("kernel error: " + e, "(the kernel is still running; please report this)");
            env.publish(new PublishError(e.getClass().getName(), String.valueOf(e.getMessage()), trace));
            ErrorReply reply = new ErrorReply(e.getClass().getName(), String.valueOf(e.getMessage()), trace);
            reply.setExecutionCount(count);
            env.replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        } finally {
            lastUsedNanos = System.nanoTime();
            executing.decrementAndGet();
        }
    }

    /** Not used: execution goes through {@link #execute}. Kept for the base class contract. */
    @Override
    public DisplayData eval(String code) throws Exception {
        Optional<MimeBundle> v = session().eval(code, executionCount.get(), pump);
        return v.map(b -> OutputPump.toDisplayData(b, null)).orElse(null);
    }

    /** An execute reply carrying the pager's text ({@code name?}): the payload IPython's front ends show. */
    static final class PagedReply extends ExecuteReply {
        @SuppressWarnings("unused")
        private final List<Map<String, Object>> payload;

        PagedReply(int count, String text) {
            super(count, Map.of());
            this.payload = List.of(Map.of("source", "page", "data", Map.of("text/plain", text), "start", 0));
        }
    }

    // ------------------------------------------------------------------ history

    /**
     * A history reply as the protocol has it: {@code status}, and each entry the triple
     * {@code [session, line, input]} (input as {@code [input, output]} when output was asked for).
     * basekernel's reply has no status and writes entries as objects.
     */
    static final class HistoryAnswer implements ContentType<HistoryAnswer>, ReplyType<HistoryRequest> {
        @SuppressWarnings("unchecked")
        private static final MessageType<HistoryAnswer> TYPE = (MessageType<HistoryAnswer>) (MessageType<?>) HistoryReply.MESSAGE_TYPE;

        @SuppressWarnings("unused")
        private final String status = "ok";
        @SuppressWarnings("unused")
        private final List<List<Object>> history;

        HistoryAnswer(List<HistoryEntry> entries) {
            this.history = entries.stream().map(e -> List.<Object>of(e.getSession(), e.getCellNumber(),
                    e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput())).toList();
        }

        @Override
        public MessageType<HistoryAnswer> getType() {
            return TYPE;
        }

        @Override
        public MessageType<HistoryRequest> getRequestType() {
            return HistoryRequest.MESSAGE_TYPE;
        }
    }

    private void history(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        env.setBusyDeferIdle();
        HistoryRequest r = message.getContent();
        boolean out = r.includeOutput();
        List<HistoryEntry> entries = switch (r) {
            case HistoryRequest.Tail t -> history.tail(t.getMaxReturnLength(), out);
            case HistoryRequest.Range g -> history.range(g.getSessionIndex(), g.getStart(), g.getStop(), out);
            case HistoryRequest.Search q -> history.search(q.getPattern(), q.getMaxReturnLength(), q.filterUnique(), out);
            default -> List.of();
        };
        env.reply(new HistoryAnswer(entries));
    }

    // ------------------------------------------------------------------ kernel_info

    /** basekernel's reply lacks {@code status}, which some clients require. */
    static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        KernelInfo(LanguageInfo info, String banner, List<LanguageInfo.Help> links) {
            super(Header.PROTOCOL_VERISON, "vectorgrad", VERSION, info, banner, links);
        }
    }

    private void kernelInfo(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfo(getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    // ------------------------------------------------------------------ front end

    @Override
    public ReplacementOptions complete(String code, int at) {
        Session.Completion c = session().complete(code, at);
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return session().inspect(code, at, extraDetail).map(DisplayData::new).orElse(null);
    }

    @Override
    public String isComplete(String code) {
        Session.IsComplete r = session().isComplete(code);
        return switch (r.status()) {
            case "complete" -> IS_COMPLETE_YES;
            case "invalid" -> IS_COMPLETE_BAD;
            case "incomplete" -> r.indent();
            default -> IS_COMPLETE_MAYBE;
        };
    }

    @Override
    public void interrupt() {
        Session s = session.getNow(null);
        if (s != null) {
            s.interrupt();
        }
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        interrupt();
        // The reply goes out right after this returns; then the connection closes and main() exits.
        // If a cell refuses to stop, make sure the process still ends.
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException ignored) {
                // exit now
            }
            Runtime.getRuntime().halt(0);
        }, "vectorgrad-shutdown");
        exit.setDaemon(true);
        exit.start();
    }
}
