package dev.vectorgrad.io;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"s\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"i\": -12, \"big\": 123456789012345678901,"
                + " \"d\": 1.5e-3, \"z\": -0, \"t\": true, \"f\": false, \"n\": null, \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}}\r\n\t");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("s", "i", "big", "d", "z", "t", "f", "n", "a", "o"), new ArrayList<>(m.keySet()));
        assertEquals("a\"b\\c/d\b\f\n\r\té😀", m.get("s"));
        assertEquals(-12L, m.get("i"));
        assertEquals(new BigInteger("123456789012345678901"), m.get("big"));
        assertEquals(1.5e-3, m.get("d"));
        assertEquals(0L, m.get("z"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(Arrays.asList(1L, List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", "v"), m.get("o"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals("ü😀", Json.parse("\"ü😀\""), "raw non-ASCII text");
    }

    @Test
    void refusesWhatJsonDoesNotAllow() {
        String[] bad = {
                "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "01", "1.", ".5", "-", "+1", "1e", "1e+",
                "NaN", "Infinity", "-Infinity", "tru", "nul", "\"unclosed", "\"tab\there\"", "\"\\x\"", "\"\\u12\"",
                "\"\\u12g4\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\ud83d\"", "// c\n1", "1 2",
                "{\"a\":1}x", "[1 2]", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "\u00a01", "[\"a\"\u0000]"};
        for (String s : bad) {
            assertThrows(Json.SyntaxException.class, () -> Json.parse(s), () -> "should refuse: " + s);
        }
    }

    @Test
    void errorsSayWhereAndWhat() {
        var e = assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"a\": [1, 2,]}"));
        assertEquals(12, e.offset());
        assertTrue(e.getMessage().contains("expected a JSON value, found ']'"), e.getMessage());
        var dup = assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"a\":1, \"a\":2}"));
        assertEquals("a", dup.duplicateKey());
        assertTrue(dup.getMessage().contains("duplicate key \"a\""), dup.getMessage());
        var lead = assertThrows(Json.SyntaxException.class, () -> Json.parse("[007]"));
        assertTrue(lead.getMessage().contains("leading zeros"), lead.getMessage());
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        var e = assertThrows(Json.SyntaxException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than " + Json.MAX_DEPTH), e.getMessage());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
    }

    @Test
    void writesCompactJsonEscapingOnlyWhatMustBe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", "q\"b\\s/\n\t\u0001\u001f\u007fé😀");
        m.put("a", List.of(1, 2L, -3));
        m.put("shape", new int[] {2, 3});
        m.put("off", new long[] {0, 24});
        m.put("empty", new int[0]);
        m.put("x", 0.5);
        m.put("y", 3.0);
        m.put("n", null);
        m.put("t", true);
        m.put("o", Map.of());
        String json = Json.write(m);
        assertEquals("{\"b\":\"q\\\"b\\\\s/\\n\\t\\u0001\\u001f\u007fé😀\",\"a\":[1,2,-3],\"shape\":[2,3],\"off\":[0,24],"
                + "\"empty\":[],\"x\":0.5,\"y\":3.0,\"n\":null,\"t\":true,\"o\":{}}", json);
        Map<?, ?> back = (Map<?, ?>) Json.parse(json);
        assertEquals(m.get("b"), back.get("b"));
        assertEquals(List.of(1L, 2L, -3L), back.get("a"));
        assertEquals(0.5, back.get("x"));
    }

    @Test
    void writingRefusesWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "a")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
