package injector

import (
	"errors"

	"github.com/orchestrion-ts/go-helpers/api"
)

// Validate decodes every aspect of the request (join points, advice, and the
// parsing of every template) without touching any Go source.
func Validate(req *api.ValidateRequest) *api.ValidateResponse {
	resp := &api.ValidateResponse{APIVersion: api.APIVersion, Errors: []api.ValidationError{}}
	if req.APIVersion == nil || *req.APIVersion != api.APIVersion {
		resp.Errors = append(resp.Errors, api.ValidationError{AspectIndex: -1, Message: api.VersionMismatch(req.APIVersion)})
		return resp
	}
	for i, raw := range req.Aspects {
		if _, err := DecodeAspect(i, raw); err != nil {
			ve := api.ValidationError{AspectIndex: i, Message: err.Error()}
			var ae *AspectError
			if errors.As(err, &ae) {
				ve.Aspect, ve.Path, ve.Message = ae.ID, ae.Path, ae.Msg
			}
			resp.Errors = append(resp.Errors, ve)
		}
	}
	return resp
}
