<#-- TLS through cert-manager: the issuer writes the certificate into the TLS Secret. -->
<#assign tlsSecret = pk_ingress_tls_secret?has_content?then(pk_ingress_tls_secret, instance.name + "-tls")>
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${instance.name?c}
  labels:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
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
