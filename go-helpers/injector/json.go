package injector

import (
	"encoding/json"
	"fmt"

	"github.com/orchestrion-ts/go-helpers/api"
)

// InstrumentJSON decodes an instrument request, runs it, and encodes the
// response. A request that cannot be decoded yields an error response.
func InstrumentJSON(req []byte) []byte {
	var r api.InstrumentRequest
	if err := json.Unmarshal(req, &r); err != nil {
		resp := newResponse()
		resp.Errors = append(resp.Errors, api.Diagnostic{Message: fmt.Sprintf("invalid instrument request: %v", err)})
		return mustMarshal(resp)
	}
	return mustMarshal(safeInstrument(&r))
}

// ValidateJSON is the JSON form of Validate.
func ValidateJSON(req []byte) []byte {
	var r api.ValidateRequest
	if err := json.Unmarshal(req, &r); err != nil {
		return mustMarshal(&api.ValidateResponse{
			APIVersion: api.APIVersion,
			Errors:     []api.ValidationError{{AspectIndex: -1, Message: fmt.Sprintf("invalid validate request: %v", err)}},
		})
	}
	return mustMarshal(Validate(&r))
}

// safeInstrument turns a panic into an error response, so that a bug cannot
// take the whole module down.
func safeInstrument(r *api.InstrumentRequest) (resp *api.InstrumentResponse) {
	defer func() {
		if p := recover(); p != nil {
			resp = newResponse()
			resp.Errors = append(resp.Errors, api.Diagnostic{Message: fmt.Sprintf("internal error: %v", p)})
		}
	}()
	return Instrument(r)
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
