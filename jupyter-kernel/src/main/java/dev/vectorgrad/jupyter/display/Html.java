package dev.vectorgrad.jupyter.display;

import java.util.Objects;

/** HTML to show as it is: {@code display(new Html("<b>bold</b>"))}, or the value of a cell. */
public record Html(String html) {
    public Html {
        Objects.requireNonNull(html, "html");
    }
}
