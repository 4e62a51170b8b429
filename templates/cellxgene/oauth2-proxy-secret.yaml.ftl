<#-- The oauth2-proxy's client and cookie secrets, when the environment gives them (from a vault or a sops
     file): the reconciler makes the Secret, and the precondition on it is then met by this object. Without
     them, the Secret is made outside git and only required. -->
<#if cxg_oauth2_proxy_client_secret?has_content || cxg_oauth2_proxy_cookie_secret?has_content>
<#if !(cxg_oauth2_proxy_client_secret?has_content && cxg_oauth2_proxy_cookie_secret?has_content)>
<#stop "give cxg_oauth2_proxy_client_secret and cxg_oauth2_proxy_cookie_secret together (or neither: then Secret " + cxg_oauth2_proxy_secret + " must exist in " + cxg_namespace + ")">
</#if>
apiVersion: v1
kind: Secret
metadata:
  name: ${cxg_oauth2_proxy_secret?c}
  namespace: ${cxg_namespace?c}
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: oauth2-proxy
type: Opaque
stringData:
  client-secret: ${cxg_oauth2_proxy_client_secret?c}
  cookie-secret: ${cxg_oauth2_proxy_cookie_secret?c}
</#if>
