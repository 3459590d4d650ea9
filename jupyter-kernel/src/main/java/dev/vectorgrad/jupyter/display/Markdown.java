package dev.vectorgrad.jupyter.display;

import java.util.Objects;

/** Markdown for the notebook to render: {@code display(new Markdown("# Title"))}. */
public record Markdown(String markdown) {
    public Markdown {
        Objects.requireNonNull(markdown, "markdown");
    }
}
