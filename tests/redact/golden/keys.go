// Copyright 2023 Mei Tanaka. All rights reserved.
package fixtures

// testKey is a throwaway key for unit tests only.
const testKey = `-----BEGIN RSA PRIVATE KEY-----
MIIBOgIBAAJBAFAKEiN7LtkeP3IfyxlxF0SU1kk8nVw0YL4xIB5p/tqg7ui5mX9c
fCmZ/a/lkyU81lSvTfrXFCegrrP+6SMvivIhH57kkcWxC+y1Vjv8Hm+TQn7LyP4p
VeXNjkbcjtS3wnZNKlpNdncG+F2GkAJK1r2jQBvpyMvMyTX2zR9hImrhUziuGjQA
TTO6DSRqwEyBsbryPjv57vX3nytJNK+H9VILablLDZguhbtVtnKocmN6zXRm/LYO
Do/xhGOw5LK6KXA0dPBkrGj3APWwKz3GZvRb3qosyu3NK1FXQQ5N7krys09DCgc0
R95jbA6AbJV7poTWQx+16tdCTQnhXQJMWEjyPR+m9zYdf2GNFTLnDiDipmaN5/R+
hGflRtU+yOKhJXvb
-----END RSA PRIVATE KEY-----`

var uuid = "123e4567-e89b-12d3-a456-426614174000"
var commit = "3f786850e387550fdab836ed7e6dc881de23001b"
