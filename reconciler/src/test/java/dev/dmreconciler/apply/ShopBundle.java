package dev.dmreconciler.apply;

import dev.dmreconciler.TestRepo;
import java.nio.file.Path;

/**
 * A small test bundle: a CRD and a home Namespace with a ConfigMap (environment scope), and per namespace a
 * Service {@code web} and a ConfigMap {@code first}; the namespace needs the ServiceAccount {@code data-manager}.
 * Template annotations are parameters ({@code sh_lifecycle}), so lifecycle policies can be tried.
 */
final class ShopBundle {

    private ShopBundle() {
    }

    static TestRepo repo(Path root) {
        return TestRepo.empty(root).write("templates/shop/bundle.yaml", """
                name: shop
                prefix: sh_
                namespaceVariable: sh_namespace
                stateVariable: sh_state
                namespacePreconditions:
                  - {apiVersion: v1, kind: ServiceAccount, name: data-manager}
                templates:
                  - file: templates/shop/crd.yaml.ftl
                  - file: templates/shop/home.yaml.ftl
                  - file: templates/shop/per-namespace.yaml.ftl
                    scope: namespace
                variables:
                  sh_state: {default: present}
                  sh_namespace: {default: dm}
                  sh_home: {default: shop-home}
                  sh_port: {type: integer, default: 80}
                """).write("templates/shop/crd.yaml.ftl", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """).write("templates/shop/home.yaml.ftl", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: ${sh_home?c}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: home-config, namespace: ${sh_home?c}}
                data: {a: b}
                """).write("templates/shop/per-namespace.yaml.ftl", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  ports: [{name: http, port: ${sh_port?c}, protocol: TCP}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: first}
                data: {c: d}
                """);
    }
}
