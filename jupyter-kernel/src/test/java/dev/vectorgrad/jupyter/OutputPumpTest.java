package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputPumpTest {

    @Test
    void utf8SequencesAreNeverSplit() {
        byte[] b = "a±€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        assertEquals(10, b.length);
        assertEquals(10, OutputPump.completeUtf8Prefix(b, 10));
        assertEquals(6, OutputPump.completeUtf8Prefix(b, 9), "inside the 4-byte emoji");
        assertEquals(6, OutputPump.completeUtf8Prefix(b, 7));
        assertEquals(6, OutputPump.completeUtf8Prefix(b, 6));
        assertEquals(3, OutputPump.completeUtf8Prefix(b, 5), "inside the euro sign");
        assertEquals(1, OutputPump.completeUtf8Prefix(b, 2));
    }

    @Test
    void withoutACellOutputGoesToTheLog() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputPump pump = new OutputPump(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        pump.stdoutStream().print("héllo");
        pump.stderrStream().println("oops");
        pump.drain();
        assertEquals("héllo", out.toString(StandardCharsets.UTF_8));
        assertEquals("oops" + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }
}
