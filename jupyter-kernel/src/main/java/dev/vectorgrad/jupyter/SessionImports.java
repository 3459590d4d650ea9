package dev.vectorgrad.jupyter;

/**
 * Names the one snippet that holds all of a session's default imports (its first line imports this
 * class, so the snippet's identity is an import no cell writes). JShell compiles each snippet once
 * when it is entered: the imports of a session go in together, in one compilation instead of twenty.
 */
public final class SessionImports {

    private SessionImports() {
    }
}
