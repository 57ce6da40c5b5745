package assets

import _ "embed"

// Dictionary is the JSON of the data dictionary of the embedded map (see
// package geo/query for its schema): what every attribute of the data
// means, its unit and the words for its values in English and Russian;
// which fields rank search results and which ones the filter panel offers
// per layer; the layers that give a feature its basin and country; and
// the outlines compared "then and now" (the Aral Sea).
//
//go:embed dictionary.json
var Dictionary []byte
