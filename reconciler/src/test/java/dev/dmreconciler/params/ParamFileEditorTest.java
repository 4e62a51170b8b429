package dev.dmreconciler.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** The editor changes one value and nothing else: every expectation here is the whole resulting file. */
class ParamFileEditorTest {

    private static final String PROD_FILE = "environments/production-parameters.yaml";
    private static final String NATIVE_FILE = "environments/staging.yaml";

    /** A real Ansible-form parameter file, as in the seed repository. */
    private static final String PROD = """
            ---

            jo_image_tag: 19.2.2
            jo_dmapi_namespace: data-manager-api-production

            jo_ingress_domain: squonk.it
            jo_ingress_tls_secret: data-manager-api-tls
            jo_namespaces: data-manager-api-production

            jo_kubeconfig: "{{ lookup('env', 'KUBECONFIG') }}"
            """;

    /**
     * A native-form file with comments everywhere. The emoji on the first line makes snakeyaml's mark indexes
     * (code points) differ from Java string indexes (UTF-16 chars) for everything after it.
     */
    private static final String NATIVE = """
            # Staging: three Data Manager namespaces \uD83D\uDE80
            description: Staging environment   # shown by `list`
            cluster: staging                    # CRDs shared with test

            include:
              - shared/common.yaml              # registry, domain

            applications:
              # The operator for Jupyter notebooks
              jupyter-operator:
                state: present                  # or absent
                values:                         # environment-level values
                  jo_image_tag: 19.2.2   # prod pin
                  jo_ingress_tls_secret: "data-manager-api-tls"
                  jo_cost_cost: '0.50'
                  # jo_debug: yes

                namespaces:
                  data-manager-api-dev: {}
                  data-manager-api-test:
                    jo_cost_cost: '0.75'        # cheaper

              # Flow style, as written by hand
              other-operator:
                values: {oo_image_tag: '1.0.0', oo_replicas: 2}

              third-operator:
                state: present                  # no values yet
                namespaces:
                  dm-a:
                    to_motd: |
                      line one

                  # dm-b: retired
            """;

    private static final List<String> JO_TAG = List.of("applications", "jupyter-operator", "values", "jo_image_tag");

    // --- replacing -------------------------------------------------------------------------------------------

    @Test
    void replacesPlainValueInAnsibleFormAndNothingElse() {
        String result = ParamFileEditor.set(PROD_FILE, PROD, List.of("jo_image_tag"), "20.1.0");

        assertEquals("""
                ---

                jo_image_tag: 20.1.0
                jo_dmapi_namespace: data-manager-api-production

                jo_ingress_domain: squonk.it
                jo_ingress_tls_secret: data-manager-api-tls
                jo_namespaces: data-manager-api-production

                jo_kubeconfig: "{{ lookup('env', 'KUBECONFIG') }}"
                """, result);
        assertReadsBack(result, List.of("jo_image_tag"), "20.1.0");
    }

    @Test
    void replacingPlainValueKeepsTrailingCommentAndEverythingElse() {
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, JO_TAG, "20.1.0");

        assertEquals(edited(NATIVE, "jo_image_tag: 19.2.2   # prod pin\n", "jo_image_tag: 20.1.0   # prod pin\n"),
                result);
        assertReadsBack(result, JO_TAG, "20.1.0");
    }

    @Test
    void markIndexesAreCodePointsNotChars() {
        String yaml = "# \uD83D\uDE80\uD83D\uDE80 two emoji\njo_image_tag: 1.0.0   # pin\njo_x: y\n";

        assertEquals("# \uD83D\uDE80\uD83D\uDE80 two emoji\njo_image_tag: 1.1.0   # pin\njo_x: y\n",
                ParamFileEditor.set(PROD_FILE, yaml, List.of("jo_image_tag"), "1.1.0"));
    }

    @Test
    void doubleQuotedValueStaysDoubleQuotedAndIsEscaped() {
        String value = "{{ lookup('env', \"HOME\") }}\\x";
        String result = ParamFileEditor.set(PROD_FILE, PROD, List.of("jo_kubeconfig"), value);

        assertEquals(edited(PROD, "jo_kubeconfig: \"{{ lookup('env', 'KUBECONFIG') }}\"",
                "jo_kubeconfig: \"{{ lookup('env', \\\"HOME\\\") }}\\\\x\""), result);
        assertReadsBack(result, List.of("jo_kubeconfig"), value);
    }

    @Test
    void doubleQuotedValueStaysDoubleQuotedEvenWhenPlainWouldDo() {
        List<String> path = List.of("applications", "jupyter-operator", "values", "jo_ingress_tls_secret");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, "other-tls");

        assertEquals(edited(NATIVE, "jo_ingress_tls_secret: \"data-manager-api-tls\"",
                "jo_ingress_tls_secret: \"other-tls\""), result);
        assertReadsBack(result, path, "other-tls");
    }

    @Test
    void singleQuotedValueStaysSingleQuotedAndOnlyThatPathChanges() {
        List<String> path = List.of("applications", "jupyter-operator", "namespaces", "data-manager-api-test",
                "jo_cost_cost");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, "it's 0.80");

        // the environment-level jo_cost_cost: '0.50' is untouched, only the namespace override changes
        assertEquals(edited(NATIVE, "jo_cost_cost: '0.75'        # cheaper",
                "jo_cost_cost: 'it''s 0.80'        # cheaper"), result);
        assertReadsBack(result, path, "it's 0.80");
    }

    @Test
    void controlCharactersAreWrittenEscapedInDoubleQuotes() {
        String result = ParamFileEditor.set(PROD_FILE, PROD, List.of("jo_image_tag"), "a\tb\u0007");

        assertEquals(edited(PROD, "jo_image_tag: 19.2.2", "jo_image_tag: \"a\\tb\\x07\""), result);
        assertReadsBack(result, List.of("jo_image_tag"), "a\tb\u0007");
    }

    @ParameterizedTest
    @ValueSource(strings = {"19.20", "1.0", "1.", ".5", "1e3", "1.5E-3", "0x1F", "1_000", "0o17", "017", "0b101",
        "1:20", "-1", "+1", ".inf", "-.Inf", ".NaN", "yes", "No", "ON", "off", "TRUE", "false", "y", "N", "YeS", "null",
        "NULL", "~", "", "a: b", "ends:", "x #y", "#x", "-x", "? x", ":x", ",x", "[x]", "]x", "{{ x }}", "}x", "*x",
        "&x", "!x", "|x", ">x", "'x", "\"x", "%x", "@x", "`x", "=", "<<", " lead", "trail ", "2024-01-01",
        "2024-1-2 10:00:00"})
    void valuesThatWouldNotReadBackAsStringsAreSingleQuoted(String value) {
        String result = ParamFileEditor.set(PROD_FILE, PROD, List.of("jo_image_tag"), value);

        assertEquals(edited(PROD, "jo_image_tag: 19.2.2", "jo_image_tag: '" + value.replace("'", "''") + "'"),
                result);
        assertReadsBack(result, List.of("jo_image_tag"), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"33.0.0", "19.2.2", "v1.2.3-rc1", "1.2.3.4", "repo/image:tag", "a:b", "a#b", "a,b",
        "data-manager-api", "caf\u00e9", "yes-please", "0.50-beta", "x-1", "it's"})
    void safeValuesStayPlain(String value) {
        String result = ParamFileEditor.set(PROD_FILE, PROD, List.of("jo_image_tag"), value);

        assertEquals(edited(PROD, "jo_image_tag: 19.2.2", "jo_image_tag: " + value), result);
        assertReadsBack(result, List.of("jo_image_tag"), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b", "x:y", "[x", "a}b"})
    void flowIndicatorsAreQuotedInsideFlowMappings(String value) {
        List<String> path = List.of("applications", "other-operator", "values", "oo_replicas");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, value);

        assertEquals(edited(NATIVE, "oo_replicas: 2}", "oo_replicas: '" + value + "'}"), result);
        assertReadsBack(result, path, value);
    }

    @Test
    void replacesValueInsideFlowMappingKeepingItsQuotes() {
        List<String> path = List.of("applications", "other-operator", "values", "oo_image_tag");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, "1.1.0");

        assertEquals(edited(NATIVE, "{oo_image_tag: '1.0.0', oo_replicas: 2}", "{oo_image_tag: '1.1.0', oo_replicas: 2}"),
                result);
        assertReadsBack(result, path, "1.1.0");
    }

    @Test
    void keyWithNothingAfterItGetsTheValueBeforeItsComment() {
        String yaml = "jo_image_tag:   # set me\njo_dmapi_namespace: dm\n";

        assertEquals("jo_image_tag: '19.20'   # set me\njo_dmapi_namespace: dm\n",
                ParamFileEditor.set(PROD_FILE, yaml, List.of("jo_image_tag"), "19.20"));
    }

    @Test
    void explicitNullIsReplaced() {
        assertEquals("jo_image_tag: 2.0.0 # was unset\n",
                ParamFileEditor.set(PROD_FILE, "jo_image_tag: ~ # was unset\n", List.of("jo_image_tag"), "2.0.0"));
    }

    // --- inserting -------------------------------------------------------------------------------------------

    @Test
    void insertsMissingKeyAtTheEndOfAnAnsibleFormFile() {
        String result = ParamFileEditor.set(PROD_FILE, PROD, List.of("jo_state"), "absent");

        assertEquals("""
                ---

                jo_image_tag: 19.2.2
                jo_dmapi_namespace: data-manager-api-production

                jo_ingress_domain: squonk.it
                jo_ingress_tls_secret: data-manager-api-tls
                jo_namespaces: data-manager-api-production

                jo_kubeconfig: "{{ lookup('env', 'KUBECONFIG') }}"
                jo_state: absent
                """, result);
        assertReadsBack(result, List.of("jo_state"), "absent");
    }

    @Test
    void insertsAfterLastEntryNotAfterFollowingCommentsAndKeepsMissingFinalLineBreak() {
        String yaml = "jo_a: 1   # one\njo_b: 'x'  # two\n# trailing note";

        assertEquals("jo_a: 1   # one\njo_b: 'x'  # two\njo_c: '3'\n# trailing note",
                ParamFileEditor.set(PROD_FILE, yaml, List.of("jo_c"), "3"));
        assertEquals("jo_a: 1\njo_c: c", ParamFileEditor.set(PROD_FILE, "jo_a: 1", List.of("jo_c"), "c"));
    }

    @Test
    void insertsMissingKeyIntoNativeBlockValuesWithTheSameIndentation() {
        List<String> path = List.of("applications", "jupyter-operator", "values", "jo_state");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, "absent");

        assertEquals(edited(NATIVE, "      jo_cost_cost: '0.50'\n",
                "      jo_cost_cost: '0.50'\n      jo_state: absent\n"), result);
        assertReadsBack(result, path, "absent");
    }

    @Test
    void insertsMissingKeyIntoFlowValues() {
        List<String> path = List.of("applications", "other-operator", "values", "oo_tls");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, "yes");

        assertEquals(edited(NATIVE, "{oo_image_tag: '1.0.0', oo_replicas: 2}",
                "{oo_image_tag: '1.0.0', oo_replicas: 2, oo_tls: 'yes'}"), result);
        assertReadsBack(result, path, "yes");
    }

    @Test
    void insertsIntoEmptyFlowMapping() {
        List<String> path = List.of("applications", "jupyter-operator", "namespaces", "data-manager-api-dev",
                "jo_cost_cost");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, "0.25");

        assertEquals(edited(NATIVE, "data-manager-api-dev: {}", "data-manager-api-dev: {jo_cost_cost: '0.25'}"),
                result);
        assertReadsBack(result, path, "0.25");
    }

    @Test
    void createsMissingValuesAfterTheLastNestedLineOfTheApplication() {
        List<String> path = List.of("applications", "third-operator", "values", "to_image_tag");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, "2.0.0");

        // after the last line of the block scalar, not after its blank line and the comment that follow
        assertEquals(edited(NATIVE, """
                          line one

                      # dm-b: retired
                """, """
                          line one
                    values:
                      to_image_tag: 2.0.0

                      # dm-b: retired
                """), result);
        assertReadsBack(result, path, "2.0.0");
    }

    @Test
    void createsAWholeMissingApplication() {
        List<String> path = List.of("applications", "new-operator", "values", "no_image_tag");
        String result = ParamFileEditor.set(NATIVE_FILE, NATIVE, path, "1.0");

        assertEquals(edited(NATIVE, "          line one\n",
                "          line one\n  new-operator:\n    values:\n      no_image_tag: '1.0'\n"), result);
        assertReadsBack(result, path, "1.0");
    }

    @Test
    void createsMappingUnderAKeyWithNothingAfterIt() {
        String yaml = "applications:\n  jupyter-operator:   # nothing yet\n# end\n";
        String result = ParamFileEditor.set(NATIVE_FILE, yaml, JO_TAG, "1.0.0");

        assertEquals("applications:\n  jupyter-operator:   # nothing yet\n    values:\n      jo_image_tag: 1.0.0\n# end\n",
                result);
        assertReadsBack(result, JO_TAG, "1.0.0");
    }

    @Test
    void emptyFilesAreCreatedFromScratch() {
        assertEquals("jo_image_tag: 1.0.0\n", ParamFileEditor.set(PROD_FILE, "", List.of("jo_image_tag"), "1.0.0"));
        assertEquals("---\njo_image_tag: 1.0.0\n",
                ParamFileEditor.set(PROD_FILE, "---\n", List.of("jo_image_tag"), "1.0.0"));
        assertEquals("# production\n\njo_image_tag: 1.0.0\n",
                ParamFileEditor.set(PROD_FILE, "# production\n\n", List.of("jo_image_tag"), "1.0.0"));
        String result = ParamFileEditor.set(NATIVE_FILE, "", JO_TAG, "1.0.0");
        assertEquals("applications:\n  jupyter-operator:\n    values:\n      jo_image_tag: 1.0.0\n", result);
        assertReadsBack(result, JO_TAG, "1.0.0");
    }

    // --- several edits, line endings -------------------------------------------------------------------------

    @Test
    void setAllAppliesChangesInOrder() {
        Map<List<String>, String> changes = new LinkedHashMap<>();
        changes.put(List.of("jo_image_tag"), "21.0.0");
        changes.put(List.of("jo_state"), "present");
        changes.put(List.of("jo_ingress_domain"), "example.org");

        assertEquals("""
                ---

                jo_image_tag: 21.0.0
                jo_dmapi_namespace: data-manager-api-production

                jo_ingress_domain: example.org
                jo_ingress_tls_secret: data-manager-api-tls
                jo_namespaces: data-manager-api-production

                jo_kubeconfig: "{{ lookup('env', 'KUBECONFIG') }}"
                jo_state: present
                """, ParamFileEditor.setAll(PROD_FILE, PROD, changes));
    }

    @Test
    void crlfFileStaysCrlf() {
        Map<List<String>, String> changes = new LinkedHashMap<>();
        changes.put(JO_TAG, "20.0.0");
        changes.put(List.of("applications", "jupyter-operator", "values", "jo_state"), "present");
        changes.put(List.of("applications", "third-operator", "values", "to_image_tag"), "3.0.0");
        String expectedLf = edited(edited(edited(NATIVE,
                "jo_image_tag: 19.2.2   # prod pin", "jo_image_tag: 20.0.0   # prod pin"),
                "      jo_cost_cost: '0.50'\n", "      jo_cost_cost: '0.50'\n      jo_state: present\n"),
                "          line one\n", "          line one\n    values:\n      to_image_tag: 3.0.0\n");

        String result = ParamFileEditor.setAll(NATIVE_FILE, NATIVE.replace("\n", "\r\n"), changes);

        assertEquals(expectedLf.replace("\n", "\r\n"), result);
        assertFalse(result.replace("\r\n", "").contains("\n"), "a bare line feed was written");
    }

    // --- refusals --------------------------------------------------------------------------------------------

    @Test
    void pathThroughAValueIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(PROD_FILE, PROD, List.of("jo_image_tag", "major"), "1"));

        assertEquals(PROD_FILE + ":3: cannot set jo_image_tag.major: jo_image_tag is '19.2.2', not a mapping",
                e.getMessage());
    }

    @Test
    void pathThroughAListIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(NATIVE_FILE, NATIVE, List.of("include", "first"), "x"));

        assertEquals(NATIVE_FILE + ":6: cannot set include.first: include is a list, not a mapping", e.getMessage());
    }

    @Test
    void targetThatIsNotASingleValueIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ParamFileEditor.set(NATIVE_FILE, NATIVE,
                List.of("applications", "jupyter-operator", "values"), "x"));

        assertEquals(NATIVE_FILE + ":13: cannot set applications.jupyter-operator.values: "
                + "applications.jupyter-operator.values is a mapping, not a single value", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0\n2.0", "1.0\r", "a\u2028b"})
    void valuesWithLineBreaksAreRefused(String value) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(PROD_FILE, PROD, List.of("jo_image_tag"), value));

        assertEquals(PROD_FILE + ": cannot set jo_image_tag: the value contains a line break; "
                + "only single-line values can be written", e.getMessage());
    }

    @Test
    void duplicateTopLevelKeysAreRefused() {
        String yaml = "jo_image_tag: 1.0.0\njo_state: present\njo_image_tag: 2.0.0\n";
        var e = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(PROD_FILE, yaml, List.of("jo_image_tag"), "3.0.0"));

        assertEquals(PROD_FILE + ":3: cannot set jo_image_tag: duplicate key 'jo_image_tag' (first on line 1); "
                + "fix the file first", e.getMessage());
    }

    @Test
    void duplicateKeysElsewhereInTheFileAreRefusedToo() {
        String yaml = edited(NATIVE, "        jo_cost_cost: '0.75'        # cheaper\n",
                "        jo_cost_cost: '0.75'        # cheaper\n        jo_cost_cost: '0.70'\n");
        var e = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(NATIVE_FILE, yaml, JO_TAG, "3.0.0"));

        assertEquals(NATIVE_FILE + ":22: cannot set " + String.join(".", JO_TAG)
                + ": duplicate key 'jo_cost_cost' (first on line 21); fix the file first", e.getMessage());
    }

    @Test
    void blockScalarAnchorsAliasesAndTagsAreRefused() {
        List<String> motd = List.of("applications", "third-operator", "namespaces", "dm-a", "to_motd");
        var block = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(NATIVE_FILE, NATIVE, motd, "x"));
        assertTrue(block.getMessage().contains("block scalar"), block.getMessage());

        String anchored = "jo_a: &tag 1.0.0\njo_b: *tag\n";
        for (String key : List.of("jo_a", "jo_b")) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ParamFileEditor.set(PROD_FILE, anchored, List.of(key), "2.0.0"));
            assertTrue(e.getMessage().startsWith(PROD_FILE + ":1: cannot set " + key + ": " + key + " is anchored"),
                    e.getMessage());
        }

        var tagged = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(PROD_FILE, "jo_p: !unsafe 'a{{b'\n", List.of("jo_p"), "x"));
        assertTrue(tagged.getMessage().contains("explicit tag"), tagged.getMessage());
    }

    @Test
    void insertingAfterAnAliasUsesWhereTheAliasIsWritten() {
        String yaml = "jo_a: &tag 1.0.0\njo_b: *tag   # same\n# end\n";

        assertEquals("jo_a: &tag 1.0.0\njo_b: *tag   # same\njo_c: x\n# end\n",
                ParamFileEditor.set(PROD_FILE, yaml, List.of("jo_c"), "x"));
    }

    @Test
    void editsThatWouldChangeMoreThanTheValueAreRefused() {
        // keep-chomping block scalar: its trailing blank line is part of the value, a line inserted before it is not
        var changesOther = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(PROD_FILE, "jo_motd: |+\n  hello\n\n", List.of("jo_x"), "1"));
        assertEquals(PROD_FILE + ": cannot set jo_x: the edit would change more than this value; edit the file by hand",
                changesOther.getMessage());

        // an empty document ended by "...": appending would start a second document
        var invalid = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(PROD_FILE, "---\n...\n", List.of("jo_x"), "1"));
        assertEquals(PROD_FILE + ": cannot set jo_x: the edited file would not be valid YAML; edit it by hand",
                invalid.getMessage());
    }

    @Test
    void invalidYamlIsRefusedWithItsLine() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ParamFileEditor.set(PROD_FILE, "jo_a: 1\njo_b: [1\n", List.of("jo_a"), "2"));

        assertTrue(e.getMessage().startsWith(PROD_FILE + ":3: cannot set jo_a: not valid YAML: "), e.getMessage());
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** {@code original} with its one occurrence of {@code from} replaced: the expected whole file. */
    private static String edited(String original, String from, String to) {
        int at = original.indexOf(from);
        assertTrue(at >= 0 && original.indexOf(from, at + 1) < 0, "expected exactly one '" + from + "'");
        return original.substring(0, at) + to + original.substring(at + from.length());
    }

    /** The value reads back as exactly {@code expected}, as a string: raw node text, and loaded as Java objects. */
    private static void assertReadsBack(String yaml, List<String> path, String expected) {
        Node node = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
        for (String key : path) {
            node = ((MappingNode) node).getValue().stream()
                    .filter(tuple -> ((ScalarNode) tuple.getKeyNode()).getValue().equals(key))
                    .map(NodeTuple::getValueNode).findFirst().orElseThrow();
        }
        ScalarNode scalar = assertInstanceOf(ScalarNode.class, node);
        assertEquals(expected, scalar.getValue());
        assertEquals(Tag.STR, scalar.getTag());

        Object loaded = new Yaml().load(yaml);
        for (String key : path) {
            loaded = assertInstanceOf(Map.class, loaded).get(key);
        }
        assertEquals(expected, assertInstanceOf(String.class, loaded));
    }
}
