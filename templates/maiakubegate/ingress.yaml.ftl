<#-- Public access: nginx (cert-manager certificate; oauth_url puts the host behind an oauth2-proxy through
     nginx's auth_request annotations) or traefik (websecure entry point, optional Middleware). -->
<#import "/lib/labels.ftl" as l>
<#include "onthiscluster.ftl">
<#if onThisCluster() && ingress.host??>
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
  annotations:
    cert-manager.io/cluster-issuer: ${cluster_issuer?c}
<#if ingress_class == "nginx">
<#if ingress.oauth_url?? && ingress.oauth_url?has_content>
    nginx.ingress.kubernetes.io/auth-url: ${(ingress.oauth_url + "/oauth2/auth")?c}
    nginx.ingress.kubernetes.io/auth-signin: ${(ingress.oauth_url + "/oauth2/start?rd=$escaped_request_uri")?c}
</#if>
<#else>
    traefik.ingress.kubernetes.io/router.entrypoints: websecure
    traefik.ingress.kubernetes.io/router.tls: "true"
<#if traefik_middleware?has_content>
    traefik.ingress.kubernetes.io/router.middlewares: ${(instance.namespace + "-" + traefik_middleware + "@kubernetescrd")?c}
</#if>
</#if>
spec:
  ingressClassName: ${ingress_class?c}
  tls:
    - hosts:
        - ${ingress.host?c}
      secretName: ${(instance.name + "-tls")?c}
  rules:
    - host: ${ingress.host?c}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${instance.name?c}
                port:
                  number: ${dmr.int(ingress.port)?c}
</#if>
