<#-- TLS through cert-manager: the issuer writes the certificate into the TLS Secret. -->
<#import "/lib/labels.ftl" as l>
<#assign tlsSecret = pk_ingress_tls_secret?has_content?then(pk_ingress_tls_secret, instance.name + "-tls")>
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
  annotations:
    cert-manager.io/cluster-issuer: ${pk_ingress_cluster_issuer?c}
    nginx.ingress.kubernetes.io/proxy-body-size: ${pk_ingress_proxy_body_size?c}
spec:
  ingressClassName: ${pk_ingress_class?c}
  tls:
    - hosts:
        - ${pk_ingress_host?c}
      secretName: ${tlsSecret?c}
  rules:
    - host: ${pk_ingress_host?c}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${instance.name?c}
                port:
                  name: http
