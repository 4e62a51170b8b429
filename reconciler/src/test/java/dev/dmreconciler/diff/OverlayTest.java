package dev.dmreconciler.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the live diff shows as a replaced object's new side: desired laid over live, server defaults kept. */
class OverlayTest {

    @Test
    void mapsMergeKeyByKeyAndDesiredValuesWin() {
        Map<String, Object> live = Map.of("spec", Map.of("backoffLimit", 6, "completions", 1, "selector", Map.of("a", "b")));
        Map<String, Object> desired = Map.of("spec", Map.of("backoffLimit", 0));
        assertEquals(Map.of("spec", Map.of("backoffLimit", 0, "completions", 1, "selector", Map.of("a", "b"))),
                Overlay.over(live, desired));
    }

    @Test
    void listsOfTheSameLengthMergeByElementSoContainerDefaultsStay() {
        Map<String, Object> live = Map.of("containers", List.of(Map.of("name", "work", "image", "monai:1.3.0",
                "terminationMessagePath", "/dev/termination-log")));
        Map<String, Object> desired = Map.of("containers", List.of(Map.of("name", "work", "image", "monai:1.3.1")));
        assertEquals(Map.of("containers", List.of(Map.of("name", "work", "image", "monai:1.3.1",
                "terminationMessagePath", "/dev/termination-log"))), Overlay.over(live, desired));
    }

    @Test
    void listsOfAnotherLengthAndScalarsReplaceAndTheLiveObjectIsNotChanged() {
        Map<String, Object> live = new java.util.HashMap<>(Map.of("args", List.of("a", "b"), "port", 80, "keep", "x"));
        Map<String, Object> desired = Map.of("args", List.of("c"), "port", "http");
        assertEquals(Map.of("args", List.of("c"), "port", "http", "keep", "x"), Overlay.over(live, desired));
        assertEquals(Map.of("args", List.of("a", "b"), "port", 80, "keep", "x"), live);
    }
}
