package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Apply order: kind stage, kind, group, namespace, name; keys of one kind compare without ranking it. */
class ObjectKeyOrderTest {

    @Test
    void sortsByStageThenKindThenGroupThenNamespaceThenName() {
        List<ObjectKey> expected = List.of(
                new ObjectKey("", "Namespace", "", "a"),
                new ObjectKey("", "Namespace", "", "b"),
                new ObjectKey("", "ServiceAccount", "ns", "x"),
                new ObjectKey("rbac.authorization.k8s.io", "Role", "a", "r"),
                new ObjectKey("rbac.authorization.k8s.io", "Role", "b", "a"),
                new ObjectKey("rbac.authorization.k8s.io", "Role", "b", "r"),
                new ObjectKey("", "ConfigMap", "", "zz"),
                new ObjectKey("", "ConfigMap", "a", "c"),
                new ObjectKey("example.org", "ConfigMap", "a", "c"),
                new ObjectKey("example.org", "Widget", "a", "c"));
        List<ObjectKey> shuffled = new ArrayList<>(expected);
        for (long seed = 0; seed < 20; seed++) {
            Collections.shuffle(shuffled, new Random(seed));
            Collections.sort(shuffled);
            assertEquals(expected.stream().map(k -> KindOrder.rank(k.group(), k.kind())).toList(),
                    shuffled.stream().map(k -> KindOrder.rank(k.group(), k.kind())).toList(), "stages first");
            for (int i = 0; i < expected.size(); i++) {
                for (int j = 0; j < expected.size(); j++) {
                    assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(expected.get(i).compareTo(expected.get(j))),
                            expected.get(i) + " vs " + expected.get(j));
                }
            }
        }
    }

    /** The generated record methods, for comparison: the written-out ones must agree (hash-ordered sets keep their order). */
    private record Generated(String group, String kind, String namespace, String name) {
    }

    @Test
    void equalsAndHashCodeAreTheRecordsOwn() {
        String[][] keys = {{"", "Namespace", "", "a"}, {"apps", "Deployment", "ns", "web"}, {null, "Secret", "ns", null},
            {"apps", "Deployment", "ns", "web2"}, {"", "ConfigMap", null, "c"}};
        for (String[] a : keys) {
            ObjectKey key = new ObjectKey(a[0], a[1], a[2], a[3]);
            assertEquals(new Generated(a[0], a[1], a[2] == null ? "" : a[2], a[3]).hashCode(), key.hashCode());
            for (String[] b : keys) {
                ObjectKey other = new ObjectKey(b[0], b[1], b[2], b[3]);
                assertEquals(a == b, key.equals(other), () -> String.join(",", a) + " vs " + String.join(",", b));
            }
            assertEquals(key, new ObjectKey(a[0], a[1], a[2], a[3]));
            assertEquals(false, key.equals(null));
        }
    }
}
