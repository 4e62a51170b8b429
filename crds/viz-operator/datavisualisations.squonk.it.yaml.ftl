<#-- The DataVisualisation CRD. app.namespaces is the sorted union of every Data Manager namespace the
     application is installed into on this cluster (plus explicit svo_namespaces). -->
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: datavisualisations.squonk.it
  annotations:
    data-manager.informaticsmatters.com/application: 'yes'
    data-manager.informaticsmatters.com/application-namespaces: ${app.namespaces?join(":")?c}
    data-manager.informaticsmatters.com/application-url-location: viz.url
spec:
  group: squonk.it
  scope: Namespaced
  names:
    kind: DataVisualisation
    listKind: DataVisualisationList
    plural: datavisualisations
    singular: datavisualisation
  versions:
    - name: v1
      served: true
      storage: true
      additionalPrinterColumns:
        - name: URL
          type: string
          jsonPath: .status.viz.url
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                imDataManager:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    taskId:
                      type: string
                    imageTag:
                      type: string
                    ingressDomain:
                      type: string
                    ingressTlsSecret:
                      type: string
                    serviceAccountName:
                      type: string
                    resources:
                      type: object
                      properties:
<#list ["limits", "requests"] as bound>
                        ${bound}:
                          type: object
                          properties:
                            cpu:
                              type: string
                            memory:
                              type: string
</#list>
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
