package dev.vectorgrad.bench;

import dev.vectorgrad.backend.Backends;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The machine a run was measured on, as label/value pairs for the report: CPU, cores, memory, OS,
 * JDK, the vectorgrad backends (SIMD species, lanes, FMA, threads), load at the start, source revision.
 */
final class MachineInfo {

    static final String CPU = "CPU";
    static final String BACKENDS = "vectorgrad backends";

    /** CPU feature flags worth knowing when reading SIMD numbers (x86 and ARM names). */
    private static final Set<String> SIMD_FLAGS = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
            "avx512vl", "avx512_bf16", "avx512_fp16", "amx_tile", "asimd", "sve", "sve2");

    private MachineInfo() {
    }

    static Map<String, String> collect(Path repoRoot) {
        Map<String, String> m = new LinkedHashMap<>();
        Map<String, String> cpu = firstCpuBlock();
        m.put("Date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", ""));
        m.put("Host", hostName());
        m.put(CPU, cpu.getOrDefault("model name", cpu.getOrDefault("Model", System.getProperty("os.arch"))));
        m.put("Logical CPUs", Runtime.getRuntime().availableProcessors()
                + (cpu.containsKey("cpu cores") ? " (" + cpu.get("cpu cores") + " cores per socket in /proc/cpuinfo)" : ""));
        m.put("SIMD flags", simdFlags(cpu));
        m.put("Memory", memory());
        m.put("OS", osName() + ", kernel " + System.getProperty("os.version") + ", " + System.getProperty("os.arch"));
        m.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.vendor") + ")");
        m.put("Load average at start", read("/proc/loadavg").map(s -> String.join(" ", List.of(s.split("\\s+")).subList(0, 3)))
                .orElse("unknown"));
        m.put("Source", gitRevision(repoRoot));
        m.put(BACKENDS, Backends.info());
        return m;
    }

    /** Short file-name-safe name of the machine: the CPU model ("amd-epyc"), else the host name. */
    static String shortName(Map<String, String> info) {
        String cpu = info.getOrDefault(CPU, "").toLowerCase(Locale.ROOT)
                .replaceAll("\\((r|tm)\\)", " ")
                .replaceAll("@.*$", " ")
                .replaceAll("\\b(cpu|processor|with .*|\\d+-core)\\b", " ");
        String s = slug(cpu);
        if (s.isEmpty() || s.equals(slug(System.getProperty("os.arch")))) {
            s = slug(info.getOrDefault("Host", "host"));
        }
        return s.length() > 32 ? s.substring(0, 32).replaceAll("-$", "") : s;
    }

    private static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    private static Map<String, String> firstCpuBlock() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : read("/proc/cpuinfo").orElse("").split("\n")) {
            if (line.isBlank() && !m.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return m;
    }

    private static String simdFlags(Map<String, String> cpu) {
        String flags = cpu.getOrDefault("flags", cpu.getOrDefault("Features", ""));
        Set<String> found = new TreeSet<>();
        for (String f : flags.split("\\s+")) {
            if (SIMD_FLAGS.contains(f)) {
                found.add(f);
            }
        }
        return found.isEmpty() ? "unknown" : String.join(" ", found);
    }

    private static String memory() {
        for (String line : read("/proc/meminfo").orElse("").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                long kb = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / 1024.0 / 1024 / 1024);
        }
        return "unknown";
    }

    private static String osName() {
        for (String line : read("/etc/os-release").orElse("").split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return System.getProperty("os.name");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return read("/etc/hostname").map(String::strip).orElse("unknown");
        }
    }

    private static String gitRevision(Path repoRoot) {
        List<String> rev = command(repoRoot, "git", "rev-parse", "--short", "HEAD");
        if (rev.isEmpty()) {
            return "unknown (not a git checkout)";
        }
        List<String> dirty = command(repoRoot, "git", "status", "--porcelain", "--untracked-files=no");
        return "git " + rev.get(0) + (dirty.isEmpty() ? "" : " with local changes");
    }

    private static List<String> command(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return List.of();
            }
            List<String> lines = new ArrayList<>();
            out.lines().filter(l -> !l.isBlank()).forEach(lines::add);
            return lines;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static java.util.Optional<String> read(String file) {
        try {
            return java.util.Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
