package dev.dmreconciler.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diff for programs. Schema (stable; fields are only ever added):
 * <pre>
 * { "title": str, "summary": "Op: …", "changes": bool, "errors": bool,
 *   "counts": {"create": n, "update": n, "delete": n, "keep": n, "refuse": n, "adopt": n, "noop": n},
 *   "environments": [ { "environment": str, "unchanged": n, "errors": [str],
 *       "parameters": [ {"file": str, "key": str, "before": str|null, "after": str|null} ],
 *       "objects": [ {"scope": str, "kind": str, "group": str, "namespace": str, "name": str,
 *                     "change": "create|update|delete|keep", "note": str, "conflicts": [str], "diff": str} ] } ] }
 * </pre>
 */
public final class JsonFormat {

    public String render(DiffReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", report.title());
        json.put("summary", report.summary());
        json.put("changes", report.hasChanges());
        json.put("errors", report.hasErrors());
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ObjectDiff.Kind kind : ObjectDiff.Kind.values()) {
            counts.put(kind.word(), report.count(kind));
        }
        counts.put("noop", report.environments().stream().mapToLong(EnvironmentDiff::unchanged).sum());
        json.put("counts", counts);
        List<Map<String, Object>> environments = new ArrayList<>();
        for (EnvironmentDiff environment : report.environments()) {
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("environment", environment.environment());
            env.put("unchanged", environment.unchanged());
            env.put("errors", environment.errors());
            List<Map<String, Object>> parameters = new ArrayList<>();
            for (ParamChange p : environment.parameters()) {
                Map<String, Object> parameter = new LinkedHashMap<>();
                parameter.put("file", p.file());
                parameter.put("key", p.key());
                parameter.put("before", p.before());
                parameter.put("after", p.after());
                parameters.add(parameter);
            }
            env.put("parameters", parameters);
            List<Map<String, Object>> objects = new ArrayList<>();
            for (ObjectDiff o : environment.objects()) {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("scope", o.scope());
                object.put("kind", o.key().kind());
                object.put("group", o.key().group());
                object.put("namespace", o.key().namespace());
                object.put("name", o.key().name());
                object.put("change", o.kind().word());
                object.put("note", o.note());
                object.put("conflicts", o.conflicts());
                object.put("diff", o.kind() == ObjectDiff.Kind.KEEP ? "" : o.unified());
                objects.add(object);
            }
            env.put("objects", objects);
            environments.add(env);
        }
        json.put("environments", environments);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
