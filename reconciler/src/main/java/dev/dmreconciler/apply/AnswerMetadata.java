package dev.dmreconciler.apply;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;

/**
 * Reads apiVersion, kind and metadata of an API answer and skips the rest without building it (a Deployment's
 * answer is mostly spec and status the applier never looks at).
 */
final class AnswerMetadata {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private AnswerMetadata() {
    }

    static GenericKubernetesResource read(byte[] json) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("the API server's answer is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "apiVersion" -> object.setApiVersion(parser.getValueAsString());
                    case "kind" -> object.setKind(parser.getValueAsString());
                    case "metadata" -> object.setMetadata(MAPPER.readValue(parser, ObjectMeta.class));
                    default -> {
                        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                            parser.skipChildren();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the API server's answer: " + e.getMessage(), e);
        }
        return object;
    }
}
