package dev.dmreconciler.resource;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.Map;

/**
 * A managed-fields entry nobody can change: every setter throws, it has no additional properties. For entries
 * shared by many passes ({@code run}'s watch cache keeps them, by fingerprint or frozen), where one caller's change
 * would silently change what every later pass plans from.
 */
public class ReadOnlyManagedFieldsEntry extends ManagedFieldsEntry {

    public ReadOnlyManagedFieldsEntry(String apiVersion, String fieldsType, FieldsV1 fields, String manager,
                                      String operation, String subresource, String time) {
        super(apiVersion, fieldsType, fields, manager, operation, subresource, time);
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a cached managed-fields entry is read-only: copy it to change it");
    }

    @Override
    public final Map<String, Object> getAdditionalProperties() {
        return Map.of();
    }

    @Override
    public final void setApiVersion(String apiVersion) {
        throw readOnly();
    }

    @Override
    public final void setFieldsType(String fieldsType) {
        throw readOnly();
    }

    @Override
    public final void setFieldsV1(FieldsV1 fieldsV1) {
        throw readOnly();
    }

    @Override
    public final void setManager(String manager) {
        throw readOnly();
    }

    @Override
    public final void setOperation(String operation) {
        throw readOnly();
    }

    @Override
    public final void setSubresource(String subresource) {
        throw readOnly();
    }

    @Override
    public final void setTime(String time) {
        throw readOnly();
    }

    @Override
    public final void setAdditionalProperty(String name, Object value) {
        throw readOnly();
    }

    @Override
    public final void setAdditionalProperties(Map<String, Object> properties) {
        throw readOnly();
    }
}
