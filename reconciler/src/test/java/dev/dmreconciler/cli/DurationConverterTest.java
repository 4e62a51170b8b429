package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationConverterTest {

    private final RunCommand.DurationConverter converter = new RunCommand.DurationConverter();

    @Test
    void acceptsTheUsualShortFormsAndIso() {
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofSeconds(60), converter.convert("60s"));
        assertEquals(Duration.ofMinutes(10), converter.convert("10m"));
        assertEquals(Duration.ofHours(1), converter.convert("1h"));
        assertEquals(Duration.ofMinutes(2), converter.convert("PT2M"));
        assertThrows(IllegalArgumentException.class, () -> converter.convert("10x"));
    }

    @Test
    void aBadDurationIsAUsageErrorOfTheCommand() {
        var result = dev.dmreconciler.TestRepo.CliResult.run("run", "--repo", ".", "--interval", "soon");
        assertEquals(Main.INVALID_INPUT, result.exitCode());
    }
}
