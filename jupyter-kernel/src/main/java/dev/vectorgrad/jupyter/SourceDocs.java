package dev.vectorgrad.jupyter;

import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Javadoc of the classes whose sources ship inside the kernel: the engine, the GPU module and the
 * kernel's own notebook API, copied at build time under {@value #ROOT} in the kernel jar.
 *
 * <p>JShell's {@code SourceCodeAnalysis.documentation} looks for javadoc only in the JDK's own
 * {@code src.zip}; for every other class it gives the signature alone. This class answers for
 * those: it takes the signature JShell printed ({@code Tensor Tensor.arange(int end)},
 * {@code Linear(int inFeatures, int outFeatures)}, {@code dev.vectorgrad.nn.Module},
 * {@code Trainer.EVAL_BATCH_SIZE:int}), finds the source file of its class through the class
 * loader, parses it (parse only, no compilation; once per file) and returns the member's doc
 * comment. A method without one takes the comment of the method it overrides, as javadoc does.
 */
final class SourceDocs {

    /** Folder of the shipped sources among the class path resources. */
    static final String ROOT = "vectorgrad-sources/";

    /** What was found for a signature: the raw doc comment and, when JShell had none, the parameter names. */
    record Doc(String comment, List<String> parameterNames) {
    }

    /** One parsed member: its doc comment (may be null) and its parameter names (executables only). */
    private record Member(String comment, List<String> parameterNames) {
    }

    /** A member named by a signature: owner as printed, member name ("" for a type, "<init>" for constructors), erased parameter types or null. */
    record Ref(String owner, String name, List<String> parameterTypes, boolean namedParameters) {
    }

    private final ClassLoader loader;
    private final List<String> packages;
    /** Source file (resource name) -> binary class name -> member key -> member; empty for absent or unparsable files. */
    private final Map<String, Map<String, Map<String, Member>>> parsedFiles = new ConcurrentHashMap<>();

    /**
     * @param loader   finds the sources ({@value #ROOT}...) and the classes (for supertypes)
     * @param packages where an unqualified class name printed by JShell may live, in the order a cell's imports see them
     */
    SourceDocs(ClassLoader loader, List<String> packages) {
        this.loader = loader;
        this.packages = List.copyOf(packages);
    }

    /** True when the sources are there at all (a kernel built without them documents signatures only). */
    boolean available() {
        return loader.getResource(ROOT + "dev/vectorgrad/tensor/Tensor.java") != null;
    }

    /** The doc comment of the element JShell printed as {@code signature}, if its source ships with the kernel. */
    Optional<Doc> find(String signature) {
        Ref ref = parse(signature);
        if (ref == null) {
            return Optional.empty();
        }
        String binary = resolve(ref.owner());
        if (binary == null) {
            return Optional.empty();
        }
        if (ref.name().isEmpty()) {
            return comment(binary, "").map(c -> new Doc(c, List.of()));
        }
        String key = key(ref.name(), ref.parameterTypes());
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> types = new ArrayDeque<>(List.of(binary));
        Member first = null;
        while (!types.isEmpty()) {
            String type = types.poll();
            if (!seen.add(type)) {
                continue;
            }
            Member m = members(type).get(key);
            if (m != null) {
                if (first == null) {
                    first = m;
                }
                if (usable(m.comment())) {
                    return Optional.of(new Doc(m.comment(), first.parameterNames()));
                }
            }
            if (ref.name().equals("<init>") || ref.parameterTypes() == null) {
                break; // constructors and fields are not inherited
            }
            types.addAll(supertypes(type));
        }
        if (ref.name().equals("<init>")) {
            // a constructor without a comment: say what the class is
            Optional<String> cls = comment(binary, "");
            if (cls.isPresent()) {
                return Optional.of(new Doc(cls.get(), first == null ? List.of() : first.parameterNames()));
            }
        }
        return first == null ? Optional.empty() : Optional.of(new Doc(null, first.parameterNames()));
    }

    private static boolean usable(String comment) {
        return comment != null && !comment.isBlank() && !comment.strip().equals("{@inheritDoc}");
    }

    private Optional<String> comment(String binary, String key) {
        Member m = members(binary).get(key);
        return m != null && usable(m.comment()) ? Optional.of(m.comment()) : Optional.empty();
    }

    // ------------------------------------------------------------------ signatures

    /**
     * Splits a signature as JShell prints it ({@code SourceCodeAnalysisImpl.elementHeader}): a type is
     * its qualified name (records with their components); a field {@code Owner.name:type}; an enum
     * constant {@code Owner.NAME}; a method {@code Return Owner.name(Type name, ...)}; a constructor
     * {@code Owner(Type name, ...)}; either may end in {@code throws ...}. Null when it is none of these.
     */
    static Ref parse(String signature) {
        String s = signature.strip();
        if (s.isEmpty()) {
            return null;
        }
        int open = indexAtDepth0(s, '(');
        if (open < 0) {
            int colon = indexAtDepth0(s, ':');
            String head = colon >= 0 ? s.substring(0, colon) : s;
            head = eraseGenerics(head).strip();
            if (head.contains(" ")) {
                return null;
            }
            if (colon >= 0) { // a field
                int dot = head.lastIndexOf('.');
                return dot < 0 ? null : new Ref(head.substring(0, dot), head.substring(dot + 1), null, false);
            }
            int dot = head.lastIndexOf('.');
            if (dot > 0 && Character.isUpperCase(head.charAt(dot + 1)) && isConstantName(head.substring(dot + 1))) {
                return new Ref(head.substring(0, dot), head.substring(dot + 1), null, false); // an enum constant
            }
            return new Ref(head, "", null, false); // a type
        }
        int close = matching(s, open);
        if (close < 0) {
            return null;
        }
        String head = eraseGenerics(s.substring(0, open)).strip();
        List<String> params = new ArrayList<>();
        boolean named = false;
        for (String p : splitTopLevel(s.substring(open + 1, close))) {
            String t = eraseGenerics(p).replaceAll("@[\\w.]+\\s*", "").strip();
            if (t.isEmpty()) {
                continue;
            }
            int space = t.lastIndexOf(' ');
            if (space > 0 && !t.endsWith("...") && !t.endsWith("]")) {
                named = true;
                t = t.substring(0, space).strip();
            }
            params.add(normalizeType(t));
        }
        int space = head.lastIndexOf(' ');
        String target = space >= 0 ? head.substring(space + 1) : head;
        boolean method = space >= 0 && !head.substring(0, space).isBlank();
        if (method) {
            int dot = target.lastIndexOf('.');
            if (dot <= 0) {
                return null;
            }
            return new Ref(target.substring(0, dot), target.substring(dot + 1), params, named);
        }
        // a constructor, or a record type with its components: look for a constructor, fall back to the type
        return new Ref(target, "<init>", params, named);
    }

    private static boolean isConstantName(String name) {
        return name.equals(name.toUpperCase(java.util.Locale.ROOT)) && name.chars().anyMatch(Character::isLetter);
    }

    /** Key of a member within its class: {@code name(T1,T2)} for executables, {@code name} otherwise, "" for the class. */
    static String key(String name, List<String> parameterTypes) {
        return parameterTypes == null ? name : name + "(" + String.join(",", parameterTypes) + ")";
    }

    /** {@code java.util.Map<K,V>[]} -> {@code Map[]}; varargs as arrays; nested {@code Adam.Builder} -> {@code Builder}. */
    static String normalizeType(String type) {
        String t = eraseGenerics(type).replaceAll("@[\\w.]+\\s*", "").replace(" ", "");
        int dims = 0;
        if (t.endsWith("...")) {
            t = t.substring(0, t.length() - 3);
            dims++;
        }
        while (t.endsWith("[]")) {
            t = t.substring(0, t.length() - 2);
            dims++;
        }
        int dot = t.lastIndexOf('.');
        if (dot >= 0) {
            t = t.substring(dot + 1);
        }
        return t + "[]".repeat(dims);
    }

    static String eraseGenerics(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int indexAtDepth0(String s, char wanted) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == wanted && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int matching(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String params) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < params.length(); i++) {
            char c = params.charAt(i);
            if (c == '<' || c == '(') {
                depth++;
            } else if (c == '>' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(params.substring(from, i));
                from = i + 1;
            }
        }
        out.add(params.substring(from));
        return out;
    }

    /**
     * {@code signature} with parameter names put in where JShell printed types only (it does when the
     * class files lack them): {@code Module Module.loadStateDict(Map<String,Tensor>, boolean)} becomes
     * {@code ...(Map<String,Tensor> state, boolean strict)}. Unchanged when the counts differ.
     */
    static String withParameterNames(String signature, List<String> names) {
        Ref ref = parse(signature);
        if (ref == null || ref.namedParameters() || ref.parameterTypes() == null || names.isEmpty()
                || names.size() != ref.parameterTypes().size()) {
            return signature;
        }
        int open = indexAtDepth0(signature, '(');
        int close = matching(signature, open);
        List<String> params = splitTopLevel(signature.substring(open + 1, close));
        if (params.size() != names.size()) {
            return signature;
        }
        StringBuilder sb = new StringBuilder(signature.substring(0, open + 1));
        for (int i = 0; i < params.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(params.get(i).strip()).append(' ').append(names.get(i));
        }
        return sb.append(signature.substring(close)).toString();
    }

    // ------------------------------------------------------------------ classes and their sources

    /**
     * The binary name ({@code pkg.Outer$Inner}) of a class printed as {@code owner}: qualified, or
     * simple (possibly nested) in one of the packages a cell imports. Null when its source is not shipped.
     */
    String resolve(String owner) {
        String[] parts = owner.split("\\.");
        // qualified: the package is the lower-case prefix
        int firstType = 0;
        while (firstType < parts.length && !parts[firstType].isEmpty() && Character.isLowerCase(parts[firstType].charAt(0))) {
            firstType++;
        }
        if (firstType == parts.length) {
            return null;
        }
        List<String> candidates = new ArrayList<>();
        String typePart = String.join("$", java.util.Arrays.copyOfRange(parts, firstType, parts.length));
        if (firstType > 0) {
            candidates.add(String.join(".", java.util.Arrays.copyOfRange(parts, 0, firstType)) + "." + typePart);
        } else {
            for (String p : packages) {
                candidates.add(p + "." + typePart);
            }
        }
        for (String binary : candidates) {
            if (loader.getResource(sourceOf(binary)) != null) {
                return binary;
            }
        }
        return null;
    }

    /** Resource name of the source file that declares {@code binary} (its top-level class's file). */
    static String sourceOf(String binary) {
        int dollar = binary.indexOf('$');
        String top = dollar >= 0 ? binary.substring(0, dollar) : binary;
        return ROOT + top.replace('.', '/') + ".java";
    }

    /** Binary names of the direct supertypes of {@code binary} whose sources ship too. */
    private List<String> supertypes(String binary) {
        List<String> out = new ArrayList<>();
        try {
            Class<?> c = Class.forName(binary, false, loader);
            List<Class<?>> direct = new ArrayList<>();
            if (c.getSuperclass() != null) {
                direct.add(c.getSuperclass());
            }
            direct.addAll(List.of(c.getInterfaces()));
            for (Class<?> s : direct) {
                if (loader.getResource(sourceOf(s.getName())) != null) {
                    out.add(s.getName());
                }
            }
        } catch (ClassNotFoundException | LinkageError ignored) {
            // no class: no supertypes to ask
        }
        return out;
    }

    /** The members of class {@code binary} (nested classes included in their file's parse, keyed per class). */
    private Map<String, Member> members(String binary) {
        String file = sourceOf(binary);
        Map<String, Map<String, Member>> byClass = parsed(file);
        return byClass.getOrDefault(binary, Map.of());
    }

    private Map<String, Map<String, Member>> parsed(String file) {
        return parsedFiles.computeIfAbsent(file, this::parseFile);
    }

    private Map<String, Map<String, Member>> parseFile(String resource) {
        String text;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Map.of();
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Map.of();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return Map.of();
        }
        SimpleJavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + resource.substring(ROOT.length())),
                javax.tools.JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        try {
            JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(source));
            Trees trees = Trees.instance(task);
            Map<String, Map<String, Member>> out = new HashMap<>();
            for (CompilationUnitTree unit : task.parse()) {
                String pkg = unit.getPackage() == null ? "" : unit.getPackage().getPackageName().toString();
                new Collector(trees, pkg, out).scan(unit, null);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Walks one compilation unit and records every documented or undocumented member by class. */
    private static final class Collector extends TreePathScanner<Void, Void> {
        private final Trees trees;
        private final Map<String, Map<String, Member>> out;
        private final Deque<String> classes = new ArrayDeque<>();
        private final String pkg;

        Collector(Trees trees, String pkg, Map<String, Map<String, Member>> out) {
            this.trees = trees;
            this.pkg = pkg;
            this.out = out;
        }

        private Map<String, Member> current() {
            return out.computeIfAbsent(classes.peek(), k -> new HashMap<>());
        }

        private String doc() {
            TreePath path = getCurrentPath();
            return trees.getDocComment(path);
        }

        @Override
        public Void visitClass(ClassTree node, Void unused) {
            String simple = node.getSimpleName().toString();
            if (simple.isEmpty()) {
                return null; // anonymous classes document nothing a cell can name
            }
            String binary = classes.isEmpty() ? (pkg.isEmpty() ? simple : pkg + "." + simple) : classes.peek() + "$" + simple;
            String comment = doc();
            classes.push(binary);
            try {
                current().put("", new Member(comment, List.of()));
                return super.visitClass(node, unused);
            } finally {
                classes.pop();
            }
        }

        @Override
        public Void visitMethod(MethodTree node, Void unused) {
            if (classes.isEmpty()) {
                return null;
            }
            List<String> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (VariableTree p : node.getParameters()) {
                types.add(normalizeType(typeText(p.getType())));
                names.add(p.getName().toString());
            }
            String name = node.getName().contentEquals("<init>") ? "<init>" : node.getName().toString();
            current().put(key(name, types), new Member(doc(), names));
            return null; // nothing inside a method body is documented for cells
        }

        @Override
        public Void visitVariable(VariableTree node, Void unused) {
            if (!classes.isEmpty() && getCurrentPath().getParentPath().getLeaf() instanceof ClassTree) {
                current().put(node.getName().toString(), new Member(doc(), List.of()));
            }
            return null;
        }

        private static String typeText(Tree type) {
            if (type instanceof ArrayTypeTree a) {
                return typeText(a.getType()) + "[]";
            }
            return type == null ? "" : type.toString();
        }
    }
}
