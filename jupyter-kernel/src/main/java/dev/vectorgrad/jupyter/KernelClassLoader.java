package dev.vectorgrad.jupyter;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The parent of the loader JShell defines snippet classes in. Jars added with {@code %classpath} or
 * {@code %maven} go here, so classes from them are loaded once, by a loader the kernel knows (for
 * finding renderers in them), and are shared by every later cell.
 */
final class KernelClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    KernelClassLoader(ClassLoader parent) {
        super("vectorgrad-cells", new URL[0], parent);
    }

    @Override
    public void addURL(URL url) {
        super.addURL(url);
    }
}
