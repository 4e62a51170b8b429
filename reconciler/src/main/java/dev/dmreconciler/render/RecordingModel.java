package dev.dmreconciler.render;

import freemarker.template.ObjectWrapper;
import freemarker.template.TemplateCollectionModel;
import freemarker.template.TemplateHashModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import java.util.HashMap;
import java.util.Map;

/**
 * A template's data model that notes which of its top-level variables the template read (and an absent one
 * as absent). Every read of the data model — by the template, its imports and includes — goes through the root,
 * so a template given a model with the same values of those variables renders the same text again (templates are
 * deterministic: no clock, no randomness, no Java objects): {@link RenderMemo} renders each distinct
 * (template, values read) once. A template that lists the model's keys or values has read everything.
 */
final class RecordingModel implements TemplateHashModelEx {

    private final Map<String, Object> model;
    private final TemplateHashModelEx wrapped;
    private final Map<String, Object> reads = new HashMap<>();
    private boolean readAll;

    RecordingModel(Map<String, Object> model, ObjectWrapper wrapper) throws TemplateModelException {
        this.model = model;
        this.wrapped = (TemplateHashModelEx) wrapper.wrap(model);
    }

    @Override
    public TemplateModel get(String key) throws TemplateModelException {
        reads.putIfAbsent(key, model.get(key));
        return wrapped.get(key);
    }

    @Override
    public boolean isEmpty() throws TemplateModelException {
        readAll = true;
        return wrapped.isEmpty();
    }

    @Override
    public int size() throws TemplateModelException {
        readAll = true;
        return wrapped.size();
    }

    @Override
    public TemplateCollectionModel keys() throws TemplateModelException {
        readAll = true;
        return wrapped.keys();
    }

    @Override
    public TemplateCollectionModel values() throws TemplateModelException {
        readAll = true;
        return wrapped.values();
    }

    /** The variables read with the values they had (null: absent); the whole model when it was enumerated. */
    Map<String, Object> reads() {
        return readAll ? null : reads;
    }
}
