package dev.vectorgrad.jupyter.magic;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleArtifactDescriptorPolicy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves Maven coordinates with their runtime dependencies (Maven Resolver), for {@code %maven}.
 *
 * <p>Repositories: Maven Central, or the URL in {@code VECTORGRAD_MAVEN_CENTRAL} (a mirror), plus any
 * given with {@code --repo}. Local repository: {@code VECTORGRAD_MAVEN_REPO}, else
 * {@code ~/.m2/repository}, so jars already downloaded by Maven are reused.
 */
final class MavenResolver {

    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private final Path localRepo;
    private final List<String> repos;

    MavenResolver(Path localRepo, List<String> repos) {
        this.localRepo = localRepo;
        this.repos = List.copyOf(repos);
    }

    static MavenResolver fromEnvironment(List<String> extraRepos) {
        String local = setting("vectorgrad.maven.repo", "VECTORGRAD_MAVEN_REPO");
        String central = setting("vectorgrad.maven.central", "VECTORGRAD_MAVEN_CENTRAL");
        List<String> repos = new ArrayList<>();
        repos.add(central != null ? central : CENTRAL);
        repos.addAll(extraRepos);
        return new MavenResolver(local != null ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository"), repos);
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v;
    }

    /** The jars of {@code coordinates} and of everything they need at run time, in resolution order. */
    List<Path> resolve(List<String> coordinates) {
        RepositorySystem system = new RepositorySystemSupplier().get();
        try {
            DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
            session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(localRepo.toFile())));
            // POMs activate profiles on java.version, os.name, ...: without them a descriptor can fail to build,
            // and the default policy then quietly drops the artifact's dependencies.
            session.setSystemProperties(System.getProperties());
            session.setArtifactDescriptorPolicy(new SimpleArtifactDescriptorPolicy(true, false));
            session.setConfigProperty("aether.connector.connectTimeout", 10_000);
            session.setConfigProperty("aether.connector.requestTimeout", 30_000);
            List<RemoteRepository> remotes = new ArrayList<>();
            int i = 0;
            for (String url : repos) {
                remotes.add(new RemoteRepository.Builder(i++ == 0 ? "central" : "repo" + i, "default", url).build());
            }
            Set<Path> jars = new LinkedHashSet<>();
            for (String coord : coordinates) {
                DefaultArtifact artifact;
                try {
                    artifact = new DefaultArtifact(coord);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + coord + "' is not group:artifact:version"
                            + " (or group:artifact:extension[:classifier]:version)");
                }
                CollectRequest collect = new CollectRequest();
                collect.setRoot(new Dependency(artifact, JavaScopes.RUNTIME));
                collect.setRepositories(remotes);
                DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
                try {
                    for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                        if (r.getArtifact() != null && r.getArtifact().getFile() != null) {
                            jars.add(r.getArtifact().getFile().toPath());
                        }
                    }
                } catch (DependencyResolutionException e) {
                    throw new IllegalStateException(explain(coord, e), e);
                }
            }
            return List.copyOf(jars);
        } finally {
            system.shutdown();
        }
    }

    private String explain(String coord, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                return "could not resolve " + coord + ": " + (repos.size() == 1 ? "the repository " : "the repositories ")
                        + String.join(", ", repos) + " cannot be reached (" + (t.getMessage() != null ? t.getMessage()
                        : t.getClass().getSimpleName()) + "). Is the network available? Without it, add jars with %classpath.";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArtifactNotFoundException) {
                return "could not resolve " + coord + ": not found in " + repos + " (" + t.getMessage() + ")";
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "could not resolve " + coord + " from " + repos + ": " + root;
    }
}
