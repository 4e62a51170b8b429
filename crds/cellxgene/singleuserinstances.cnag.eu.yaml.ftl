<#-- A SingleUserInstance carries the Deployment, Service and Ingress the operator creates for one user,
     as whole embedded objects: their schema is the operator's business, so they preserve unknown fields. -->
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: singleuserinstances.cnag.eu
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: sui-operator
spec:
  group: cnag.eu
  scope: Namespaced
  names:
    kind: SingleUserInstance
    listKind: SingleUserInstanceList
    plural: singleuserinstances
    singular: singleuserinstance
    shortNames: [sui, suis]
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                lifespan:
                  type: integer
<#list ["deployment", "service", "ingress"] as embedded>
                ${embedded}:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
</#list>
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
