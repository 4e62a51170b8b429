<#-- Shared labels of the reconciler's objects (indent: spaces before each line; 4 under metadata.labels).
     app.kubernetes.io/name is also the Deployment's selector and the Service's. -->
<#macro labels indent=4>
<#local pad = ""?left_pad(indent)>
${pad}app.kubernetes.io/name: dm-reconciler
${pad}app.kubernetes.io/component: gitops-reconciler
</#macro>
