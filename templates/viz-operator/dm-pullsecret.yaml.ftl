<#-- The operator's instances pull a private image with this Secret. Its value is secret (from the vault):
     the reconciler never prints it; the role asserts it is not empty, and so do we. -->
<#if !svo_github_image_pull_secret?has_content>
<#stop "svo_github_image_pull_secret is empty: set svo_installation_name so that sensitive-<name>.vault is loaded (next to the parameter file or in templates/viz-operator/vars/), or give the value">
</#if>
apiVersion: v1
kind: Secret
type: kubernetes.io/dockerconfigjson
metadata:
  name: ${svo_image_pull_secret_name?c}
  labels:
    app.kubernetes.io/name: viz-operator
    app.kubernetes.io/part-of: data-manager
data:
  .dockerconfigjson: ${svo_github_image_pull_secret?c}
