/**
 * Hive Gateway serving the Mesh composition (bench/gateway_bench.py passes the supergraph path and
 * the port on the command line). The caller's Authorization header goes to every service, as our
 * gateway forwards it: each service checks the token itself.
 */
import { defineConfig } from '@graphql-hive/gateway'

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const authorization = request.headers.get('authorization')
      return authorization ? { authorization } : {}
    },
  },
})
