/** The checkout fields of Create, Update and Invoice → Create: their parameters and their Ottu body. */
export * from './body';
export * from './description';
