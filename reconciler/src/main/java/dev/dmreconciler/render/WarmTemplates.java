package dev.dmreconciler.render;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.source.RepoTree;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendering for a long-running process ({@code run}): one template engine for as long as the template files stay
 * the same (its parsed templates are reused), and per environment the renderings of its last render with these
 * templates ({@link RenderMemo#carrying}), so a commit that changes one namespace's values renders only what reads
 * them. Whoever holds it must replace it when any file the engine can load changes ({@code templates/},
 * {@code crds/}, {@code rbac/}: the caller keys it by their content, e.g. git tree ids): a rendering is reused
 * only for equal values read and equal template files.
 *
 * <p>Nothing outside the values is cached: each render loads the environment again (a rotated vault password, a
 * changed sops file or environment variable take effect on that render), and a value read that changed is
 * rendered again. A rendering unused by an environment's latest render is dropped. Safe for concurrent renders
 * (of different environments, or of one environment at two revisions: the later to finish is carried).
 */
public final class WarmTemplates {

    private final String id;
    private final TemplateEngine engine;
    private final Map<String, RenderMemo> memos = new ConcurrentHashMap<>();

    /**
     * @param id   names the template files' content (compared by the caller)
     * @param tree where the engine loads templates from: must stay readable while this is used (a commit's tree)
     */
    public WarmTemplates(String id, RepoTree tree) {
        this.id = id;
        this.engine = new TemplateEngine(tree);
    }

    public String id() {
        return id;
    }

    /** Names the content of every file a template engine can load from the commit (git tree ids of its folders). */
    public static String idOf(dev.dmreconciler.source.GitTree tree) throws java.io.IOException {
        StringBuilder id = new StringBuilder();
        for (String root : RepoTemplateLoader.TEMPLATE_ROOTS) {
            String directory = root.substring(0, root.length() - 1); // "templates/" is the folder templates
            id.append(root).append(tree.directoryId(directory).orElse("-")).append(' ');
        }
        return id.toString();
    }

    /**
     * As {@link Renderer#renderNamed}, with this engine and the environment's previous renderings.
     *
     * @param repo the repository at the revision rendered; its template files must be the ones of {@link #id}
     * @throws dev.dmreconciler.params.InvalidInputException with every problem of the bundles and the environment
     */
    public DesiredState renderNamed(ConfigRepo repo, String name) {
        RenderMemo memo = RenderMemo.carrying(memos.get(name));
        DesiredState desired = new Renderer(repo, engine, memo).render(Renderer.load(repo, name), null);
        memos.put(name, memo.published());
        return desired;
    }

    /** Drops an environment's renderings (it left git). */
    public void forget(String environment) {
        memos.remove(environment);
    }
}
