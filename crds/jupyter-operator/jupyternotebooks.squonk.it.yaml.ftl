<#-- The JupyterNotebook CRD, field for field as the operator's own (SEEDS.md §1; JupyterCrdSeedTest): printer
     columns with the seed's descriptions ("acessing" is its spelling), conversion None written out. app.namespaces
     is the sorted union of every Data Manager namespace the application is installed into on this cluster (plus
     explicit jo_namespaces). -->
<#macro columns>
      additionalPrinterColumns:
        - name: URL
          type: string
          description: URL for acessing the Jupyter notebook.
          jsonPath: .status.jupyter.notebook.url
        - name: Token
          type: string
          description: Token for accessing the Jupyter notebook.
          jsonPath: .status.jupyter.notebook.token
</#macro>
<#macro schema>
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                imDataManager:
                  type: object
                  properties:
                    taskId:
                      type: string
                    image:
                      type: string
                    ingressClass:
                      type: string
                    ingressDomain:
                      type: string
                    ingressTlsSecret:
                      type: string
                    ingressProxyBodySize:
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
                            storage:
                              type: string
</#list>
                    securityContext:
                      type: object
                      properties:
                        runAsUser:
                          type: integer
                        runAsGroup:
                          type: integer
                        fsGroup:
                          type: integer
                    notebook:
                      type: object
                      properties:
                        interface:
                          type: string
                    project:
                      type: object
                      properties:
                        claimName:
                          type: string
                        id:
                          type: string
                    labels:
                      type: array
                      items:
                        type: string
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
</#macro>
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: jupyternotebooks.squonk.it
  annotations:
    data-manager.informaticsmatters.com/application: 'yes'
    data-manager.informaticsmatters.com/application-namespaces: ${app.namespaces?join(":")?c}
    data-manager.informaticsmatters.com/application-url-location: jupyter.notebook.url
spec:
  group: squonk.it
  scope: Namespaced
  names:
    kind: JupyterNotebook
    listKind: JupyterNotebookList
    plural: jupyternotebooks
    singular: jupyternotebook
  conversion:
    strategy: None
  versions:
    - name: v2
      served: true
      storage: true
<@columns/>
      schema:
<@schema/>
    - name: v1alpha3
      served: false
      storage: false
<@columns/>
      schema:
<@schema/>
